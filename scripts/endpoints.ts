// Used by demo.sh and test.sh: which engines Lifeboat uses.
//   endpoints.ts count-user        prints how many endpoints a user added
//   endpoints.ts register-lab [unix]  registers the lab's engines (reads `lab status --json` on stdin),
//                                   over mutual TLS, or over their unix sockets
//   endpoints.ts register-local    registers /var/run/docker.sock as "local"
import { addEndpoint, countEndpoints, replaceLabEndpoints } from '@/lib/endpoints/endpoint-store';
import fs from 'node:fs';

type LabStatus = { up: boolean; nodes: { name: string; socket: string; tcpUrl: string; tls: { ca: string; cert: string; key: string } }[] };

async function main(command?: string, transport?: string) {
  if (command === 'count-user') {
    console.log(await countEndpoints('user'));
  } else if (command === 'register-lab') {
    const lab: LabStatus = JSON.parse(fs.readFileSync(0, 'utf8'));
    if (!lab.up) throw new Error('the lab is not up');
    const read = (file: string) => fs.readFileSync(file, 'utf8');
    await replaceLabEndpoints(
      lab.nodes.map((n) =>
        transport === 'unix' ? { name: n.name, url: `unix://${n.socket}` } : { name: n.name, url: n.tcpUrl, ca: read(n.tls.ca), cert: read(n.tls.cert), key: read(n.tls.key) },
      ),
    );
    console.log(`lifeboat: registered the lab's engines: ${lab.nodes.map((n) => n.name).join(', ')} (${transport === 'unix' ? 'unix sockets' : 'mutual TLS'})`);
  } else if (command === 'register-local') {
    if ((await countEndpoints()) === 0) await addEndpoint({ name: 'local', url: 'unix:///var/run/docker.sock' });
    console.log('lifeboat: using the local engine at /var/run/docker.sock');
  } else {
    throw new Error('usage: endpoints.ts count-user | register-lab | register-local');
  }
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(`lifeboat: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
