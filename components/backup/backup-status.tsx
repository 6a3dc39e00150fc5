import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = { running: 'info', succeeded: 'good', failed: 'bad', interrupted: 'warn' };

export function BackupStatus({ status }: { status: string }) {
  return <Badge tone={tones[status] ?? 'neutral'}>{status}</Badge>;
}
