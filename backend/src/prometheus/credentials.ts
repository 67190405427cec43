// user:password@ in an upstream URL: sent as basic auth, never shown in messages, logs or answers.

/** The URL without its credentials, and the Authorization header they make, if any. */
export function withoutCredentials(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}
