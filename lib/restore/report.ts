import type { ManifestSummary } from '@/lib/archive/manifest';

/** What a verification found, and what a restore would do on its target. Stored as JSON on the rows. */
export type VerificationReport = {
  ok: true;
  verifiedAt: string;
  archiveSha256: string;
  source: { hostname: string; swarmNodeId: string | null; createdAt: string; ucpVersion: string | null; engineVersion: string | null; formatVersion: number };
  volumes: { name: string; files: number; bytes: number }[];
  containers: string[];
  target: TargetPlan | null;
};

export type TargetPlan = {
  hostname: string;
  ucpVersion: string | null;
  /** Replaced: the volume exists and its contents become the backup's; created: it does not exist yet. */
  volumes: { name: string; action: 'replace' | 'create' }[];
  stop: string[];
  /** The consent the restore asks for, if it stops a running control plane: its form field and its words. */
  consent?: { field: 'confirmOutage' | 'confirmLostQuorum'; words: string; why: string } | null;
  notes: string[];
};

export function summarize(manifest: ManifestSummary, archiveSha256: string, containers: string[], target: TargetPlan | null): VerificationReport {
  return {
    ok: true,
    verifiedAt: new Date().toISOString(),
    archiveSha256,
    source: {
      hostname: manifest.node.hostname,
      swarmNodeId: manifest.node.swarmNodeId,
      createdAt: manifest.createdAt,
      ucpVersion: manifest.ucpVersion,
      engineVersion: manifest.engineVersion,
      formatVersion: manifest.formatVersion,
    },
    volumes: manifest.volumes.map((v) => ({ name: v.name, files: v.files, bytes: v.bytes })),
    containers,
    target,
  };
}
