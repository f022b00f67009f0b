// schema.json is generated (npm run schema) from the zod input schemas and the Resource classes' docs: the
// checked-in file must be what a fresh generation gives, and must mark every secret.
import * as fs from "node:fs";
import { SCHEMA_FILE, renderSchema } from "../../scripts/schema";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test("the checked-in schema.json is a fresh generation (run 'npm run schema' after changing an input)", () => {
  expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(renderSchema());
});

test("CAK, PSKs, key material and what carries them read back are secret; credentials too", () => {
  const s = JSON.parse(renderSchema()) as Json;
  const r = s.resources as Json;
  expect(r["keylink:alibaba:MacsecKeyAssociation"].inputProperties.cak.secret).toBe(true);
  expect(r["keylink:alibaba:MacsecKeyAssociation"].properties.cak.secret).toBe(true);
  expect(r["keylink:alibaba:ImportedKeyMaterial"].inputProperties.keyMaterial.secret).toBe(true);
  const vpn = r["keylink:alibaba:VpnConnectionConfig"];
  for (const p of ["presharedKeys", "livePresharedKeys", "originalSettings"])
    expect(vpn.properties[p].secret).toBe(true);
  expect(s.types["keylink:alibaba:VpnConnectionConfigIkeConfig"].properties.psk.secret).toBe(true);
  expect(s.config.variables.tencentSecretKey.secret).toBe(true);
  expect(s.provider.inputProperties.alibabaAccessKeySecret.secret).toBe(true);
});

test("every input and output is documented, and each resource says its id format", () => {
  const s = JSON.parse(renderSchema()) as Json;
  for (const [token, res] of Object.entries(s.resources as Json)) {
    expect(res.description).toContain("The resource id is `");
    for (const [name, p] of Object.entries({ ...res.inputProperties, ...res.properties } as Json)) {
      expect([token, name, typeof p.description]).toEqual([token, name, "string"]);
    }
  }
  for (const [token, t] of Object.entries(s.types as Json)) {
    for (const [name, p] of Object.entries(t.properties as Json)) {
      expect([token, name, typeof p.description]).toEqual([token, name, "string"]);
    }
  }
});
