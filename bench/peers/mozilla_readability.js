// bench peer: Mozilla Readability (Firefox's reader view) with jsdom, on every
// page named on the command line; prints the number of pages it extracted.
// Installed by `tools/deps bench` into build/node_modules.
const fs = require("fs");
const path = require("path");
const mods = path.join(__dirname, "..", "..", "build", "node_modules");
const { JSDOM } = require(path.join(mods, "jsdom"));
const { Readability } = require(path.join(mods, "@mozilla", "readability"));
let n = 0;
for (const file of process.argv.slice(2)) {
  const dom = new JSDOM(fs.readFileSync(file), { url: "https://news.example.kr/" });
  const art = new Readability(dom.window.document).parse();
  if (art && (art.title || art.textContent)) n++;
  dom.window.close();
}
console.log(n);
