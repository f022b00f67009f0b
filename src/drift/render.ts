// The drift report three ways: plain text for a terminal or a CI log, JSON for machines, Markdown for a CI job
// summary. Values come from the report, where every secret is already "[secret]".
import { DriftReport, FieldDrift, ResourceDrift, ShownValue, exitCodeOf } from "./report";

/** Long values (e.g. a whole settings object) are cut in text and Markdown; JSON keeps them whole. */
const MAX_VALUE_CHARS = 120;

function valueText(v: ShownValue | undefined): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s;
}

function stackLabel(r: DriftReport): string {
  return r.stack ? `stack ${r.stack}` : "the stack";
}

function resourceLabel(r: ResourceDrift): string {
  return `${r.type} ${r.name}`;
}

function matching(n: number): string {
  return n === 1 ? "1 resource matches the cloud" : `${n} resources match the cloud`;
}

function countLine(r: DriftReport): string {
  const n = r.resources.length;
  return `${n} of ${r.checked} resource${r.checked === 1 ? "" : "s"} differ${n === 1 ? "s" : ""} from the cloud`;
}

function fieldLine(f: FieldDrift): string {
  return `${f.path}: ${valueText(f.old)} → ${valueText(f.live)}${f.secret ? " (secret, changed)" : ""}`;
}

export function renderText(r: DriftReport): string {
  const lines: string[] = [];
  if (r.errors.length > 0) {
    lines.push(`Drift check of ${stackLabel(r)} could not be completed:`);
    for (const e of r.errors) lines.push(`  ${e.replace(/\n/g, "\n  ")}`);
    if (r.resources.length === 0) return lines.join("\n") + "\n";
    lines.push("", "Drift found before the check stopped:");
  } else if (r.resources.length === 0) {
    return `No drift in ${stackLabel(r)}: ${matching(r.checked)}.\n`;
  } else {
    lines.push(`Drift in ${stackLabel(r)}: ${countLine(r)}.`);
  }
  for (const res of r.resources) {
    lines.push("", `${resourceLabel(res)}${res.id ? ` (${res.id})` : ""}`);
    if (res.status === "deleted")
      lines.push("  deleted in the cloud: the next refresh drops it from the state");
    else if (res.fields.length === 0) lines.push("  changed (the provider did not name the field)");
    for (const f of res.fields) lines.push(`  ${fieldLine(f)}`);
  }
  return lines.join("\n") + "\n";
}

export function renderJson(r: DriftReport): string {
  const code = exitCodeOf(r);
  return (
    JSON.stringify(
      {
        stack: r.stack ?? null,
        project: r.project ?? null,
        status: code === 0 ? "no-drift" : code === 1 ? "drift" : "not-checked",
        checked: r.checked,
        resources: r.resources.map((res) => ({
          urn: res.urn,
          type: res.type,
          name: res.name,
          id: res.id ?? null,
          status: res.status,
          fields: res.fields.map((f) => ({
            path: f.path,
            kind: f.kind,
            old: f.old === undefined ? null : f.old,
            live: f.live === undefined ? null : f.live,
            secret: f.secret,
          })),
        })),
        errors: r.errors,
      },
      null,
      2,
    ) + "\n"
  );
}

/** A Markdown table cell: code span, with pipes escaped and line breaks kept out of the row. */
function cell(text: string): string {
  const flat = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const fence = flat.includes("`") ? "``" : "`";
  return `${fence}${fence === "``" ? " " : ""}${flat}${fence === "``" ? " " : ""}${fence}`;
}

function plainCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

export function renderMarkdown(r: DriftReport): string {
  const title = `### Drift report${r.stack ? `: stack \`${r.stack}\`` : ""}`;
  const lines: string[] = [title, ""];
  if (r.errors.length > 0) {
    lines.push("**The drift check could not be completed:**", "");
    for (const e of r.errors) lines.push(`- ${plainCell(e)}`);
    lines.push("");
    if (r.resources.length === 0) return lines.join("\n");
    lines.push("Drift found before the check stopped:", "");
  } else if (r.resources.length === 0) {
    lines.push(`No drift: ${matching(r.checked)}.`, "");
    return lines.join("\n");
  } else {
    lines.push(`**${countLine(r)}.**`, "");
  }
  lines.push("| resource | type | field | state | cloud |", "|---|---|---|---|---|");
  for (const res of r.resources) {
    const head = `| ${cell(res.name)} | ${plainCell(res.type)} |`;
    if (res.status === "deleted") {
      lines.push(`${head} *(deleted in the cloud)* | | |`);
      continue;
    }
    if (res.fields.length === 0) lines.push(`${head} *(changed, field not named)* | | |`);
    for (const f of res.fields) {
      const live = f.secret ? `${valueText(f.live)} (changed)` : valueText(f.live);
      lines.push(`${head} ${cell(f.path)} | ${cell(valueText(f.old))} | ${cell(live)} |`);
    }
  }
  lines.push("");
  return lines.join("\n");
}
