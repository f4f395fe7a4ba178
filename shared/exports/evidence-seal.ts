// The evidence pack's machine-readable seal: each clip's content hash and the team's change-log
// head at export, so an assessor can later ask the server (`server/cli.ts verify --pack FILE`)
// whether the pack shows what the team's log held. Format in docs/server.md, "Evidence pack seal".
// Pure: callers hash with their own SHA-256 (node:crypto on the server, crypto.subtle in the
// extension) over the canonical text this module defines.
import { z } from 'zod';
import { canonicalJson } from '../merge';
import { isoDateTimeSchema } from '../schemas';

export const SEAL_FORMAT = 'qsi-evidence-clipper/seal@1' as const;
/** The HTML element the pack carries the seal in: `<script type=… id=…>JSON</script>`. */
export const SEAL_SCRIPT_TYPE = 'application/vnd.qsi-evidence-seal+json';
export const SEAL_ELEMENT_ID = 'qsi-evidence-seal';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const evidenceSealSchema = z.strictObject({
  format: z.literal(SEAL_FORMAT),
  teamId: z.uuid(),
  exportedAt: isoDateTimeSchema,
  /** The team's change-log head when the pack was made (`GET /v1/log/head`). */
  logHead: z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 }),
  /** Each clip in the pack: its id and SHA-256 of {@link clipContentText}. */
  clips: z.array(z.strictObject({ id: z.uuid(), contentHash: hex64 })).max(100_000),
});
export type EvidenceSeal = z.infer<typeof evidenceSealSchema>;

/**
 * The clip fields a content hash covers: what the evidence says and who made it. Not the
 * stamps of the last edit (`updatedAt`, `updatedBy`) nor local bookkeeping (anchor, sync, history).
 */
export const SEALED_CLIP_FIELDS = [
  'id',
  'url',
  'docKey',
  'title',
  'selectors',
  'quote',
  'criteria',
  'note',
  'docMeta',
  'snapshot',
  'createdBy',
  'createdAt',
] as const;

/** The canonical text a clip's content hash is taken over (criteria sorted; absent fields left out). */
export function clipContentText(clip: Record<string, unknown>): string {
  const picked: Record<string, unknown> = {};
  for (const f of SEALED_CLIP_FIELDS) {
    const v = clip[f];
    if (v === undefined || v === null) continue;
    picked[f] = f === 'criteria' && Array.isArray(v) ? [...(v as string[])].sort() : v;
  }
  return canonicalJson(picked);
}

/** The seal as the HTML script element a pack embeds (`<` escaped so the JSON cannot end it). */
export function sealScriptElement(seal: EvidenceSeal): string {
  const json = JSON.stringify(seal).replaceAll('<', '\\u003c');
  return `<script type="${SEAL_SCRIPT_TYPE}" id="${SEAL_ELEMENT_ID}">${json}</script>`;
}

/**
 * Finds and parses the seal in a pack: an HTML file holding the script element, or the seal's
 * JSON alone. @returns undefined when there is none or it does not parse.
 */
export function readSeal(text: string): EvidenceSeal | undefined {
  const m = new RegExp(`<script[^>]*id="${SEAL_ELEMENT_ID}"[^>]*>([\\s\\S]*?)</script>`).exec(text);
  const json = m ? m[1] : text;
  try {
    const parsed = evidenceSealSchema.safeParse(JSON.parse(json ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
