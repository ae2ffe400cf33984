// A YAML writer for the small configs this tool generates (accelerate's config file): nested maps of strings,
// numbers and booleans. Strings stay bare only when YAML would read them back as the same string.
export type YamlValue = string | number | boolean | { [key: string]: YamlValue };

// Words YAML 1.1/1.2 loaders turn into booleans or null, and anything that could read as a number.
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const BARE = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;

function scalar(value: string | number | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return BARE.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

/** The YAML text of a map, keys in insertion order, two spaces per level. */
export function toYaml(map: { [key: string]: YamlValue }, indent = ''): string {
  let out = '';
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'object') out += `${indent}${key}:\n${toYaml(value, `${indent}  `)}`;
    else out += `${indent}${key}: ${scalar(value)}\n`;
  }
  return out;
}
