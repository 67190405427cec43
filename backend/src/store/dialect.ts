// The SQL dialects the store runs on; its own module so migrations can name it without importing the
// store (which imports the migrations).
export type Dialect = 'sqlite' | 'postgres';
