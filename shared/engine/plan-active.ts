// Personas requested -> what they should put in the repository. Shared by the generators (through
// mem-fs) and the dp CLI (on disk), so both apply exactly the same plan.
import { planPersona } from '../plan/plan.js';
import type { DesiredPersona } from '../merge/model.js';
import type { PersonaRecord } from '../merge/record.js';
import { loadPersona, userWorkflows } from '../persona/resolve.js';
import type { Persona } from '../persona/schema.js';


export interface PersonaRequest {
  id: string;
  level?: string;
  /** The user opted in to the persona's status line (kept in the record's active entry). */
  statusLine?: boolean;
  /** The persona, loaded and validated where the request was made; personas named by the record are loaded here. */
  persona?: Persona;
}

export function planRequests(repoRoot: string, requests: PersonaRequest[]): DesiredPersona[] {
  return requests.map((request) => {
    const persona = request.persona ?? loadPersona(request.id, repoRoot);
    const userWorkflowsFound = persona.origin.kind === 'custom' ? userWorkflows(repoRoot, persona) : undefined;
    return planPersona(persona, { level: request.level, ...(userWorkflowsFound ? { userWorkflows: userWorkflowsFound } : {}), ...(request.statusLine ? { statusLine: true } : {}) });
  });
}

/** The requests that re-apply what the record says is active. */
export function activeRequests(record: PersonaRecord | null): PersonaRequest[] {
  return (record?.active ?? []).map((a) => ({ id: a.id, ...(a.level ? { level: a.level } : {}), ...(a.statusLine ? { statusLine: true } : {}) }));
}

/** Active personas with `request` added, or replacing the same persona (new answers). */
export function withPersona(active: PersonaRequest[], request: PersonaRequest): PersonaRequest[] {
  const index = active.findIndex((a) => a.id === request.id);
  if (index < 0) return [...active, request];
  return active.map((a, i) => (i === index ? request : a));
}
