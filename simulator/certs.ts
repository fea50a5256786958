// Self-signed certificate for *.myshopify.com, localhost and 127.0.0.1, written out for clients to trust.
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import selfsigned from "selfsigned";

export interface CertBundle {
  caPem: string;
  certPem: string;
  keyPem: string;
  paths: { ca: string; cert: string; key: string };
}

export function createCertificates(certDir?: string): CertBundle {
  const dir = certDir ?? mkdtempSync(join(tmpdir(), "shopify-sim-"));
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const attrs = [
    { name: "commonName", value: "*.myshopify.com" },
    { name: "organizationName", value: "Shopify Simulator" },
  ];
  const pems = selfsigned.generate(attrs, {
    days: 825,
    algorithm: "sha256",
    keyPair: { privateKey, publicKey },
    notBeforeDate: new Date(Date.now() - 86400_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "*.myshopify.com" },
          { type: 2, value: "myshopify.com" },
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  } as unknown as Parameters<typeof selfsigned.generate>[1]);
  const paths = { ca: join(dir, "ca.pem"), cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
  writeFileSync(paths.ca, pems.cert);
  writeFileSync(paths.cert, pems.cert);
  writeFileSync(paths.key, privateKey, { mode: 0o600 });
  return { caPem: pems.cert, certPem: pems.cert, keyPem: privateKey, paths };
}
