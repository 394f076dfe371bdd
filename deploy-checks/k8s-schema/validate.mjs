// Reads rendered manifests (kubectl kustomize output) on stdin and validates every document against the Kubernetes
// OpenAPI schema of its apiVersion/kind (kubernetes-models). Prints one line per problem; exits 1 if any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import yaml from "js-yaml";

const require = createRequire(import.meta.url);
const docs = yaml.loadAll(readFileSync(0, "utf8")).filter(Boolean);
let problems = 0;
for (const doc of docs) {
  const where = `${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const module = `kubernetes-models/${group ? group + "/" : ""}${version}/${doc.kind}`;
  let Model;
  try {
    Model = require(module)[doc.kind];
  } catch (e) {
    console.log(`${where}: no schema for ${doc.apiVersion} ${doc.kind} (${module})`);
    problems++;
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    console.log(`${where}: ${e.message}`);
    problems++;
  }
}
console.log(`${docs.length} documents, ${problems} problems`);
process.exit(problems ? 1 : 0);
