import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';

// The schema as published by ISO 20022, copied into the repository (reference/iso20022).
const xsdUrl = new URL('../../reference/iso20022/pain.001.001.03.xsd', import.meta.url);
const xsd = await readFile(xsdUrl, 'utf8');

/** Validates a document against pain.001.001.03 with libxml2 (xmllint compiled to wasm). */
export function validateSepa(xml: string) {
  return validateXML({
    xml: [{ fileName: 'batch.xml', contents: xml }],
    schema: [{ fileName: 'pain.001.001.03.xsd', contents: xsd }],
    maxMemoryPages: 1024, // 64 MiB: a 20,000-transfer file needs more than the 32 MiB default
  });
}
