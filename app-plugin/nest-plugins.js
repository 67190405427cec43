// Copies the built data source and panel into this app's dist/ (dist/datasource, dist/panel), so one
// app install brings all three; each plugin still builds alone. Run after their builds (build:plugins).
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const NESTED = { datasource: 'datasource-plugin', panel: 'panel-plugin' };

for (const [folder, plugin] of Object.entries(NESTED)) {
  const from = path.join(ROOT, plugin, 'dist');
  const to = path.join(__dirname, 'dist', folder);
  if (!fs.existsSync(path.join(from, 'module.js')) || !fs.existsSync(path.join(from, 'plugin.json'))) {
    console.error(
      `nest-plugins: ${plugin}/dist has no module.js and plugin.json; build it first (npm run build:plugins).`,
    );
    process.exit(1);
  }
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  console.log(`nest-plugins: ${plugin}/dist -> app-plugin/dist/${folder}`);
}
