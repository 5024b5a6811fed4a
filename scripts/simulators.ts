/**
 * npm run simulators [-- --empty] [-- --port-base=4100]
 * Starts the four vendor simulators on 127.0.0.1 (seeded with the demo's sample people unless --empty)
 * and prints each one's Base URL and test key, for credentials in your own n8n. Ctrl-C stops them.
 */
import { labCredentials, startLab } from './lab';

async function main(argv: string[]) {
	const portArg = argv.find((a) => a.startsWith('--port-base='));
	const portBase = portArg ? Number(portArg.slice('--port-base='.length)) : undefined;
	const lab = await startLab({ seed: !argv.includes('--empty'), ports: portBase ? { base: portBase } : undefined });
	console.log('Vendor simulators on 127.0.0.1 (Ctrl-C stops them). Credentials for n8n:');
	for (const credential of labCredentials(lab)) {
		const fields = Object.entries(credential.data)
			.filter(([, value]) => value !== '')
			.map(([key, value]) => `${key}=${value}`)
			.join('  ');
		console.log(`  ${credential.type.padEnd(13)} ${fields}`);
	}
	await new Promise<void>((resolve) => {
		process.once('SIGINT', () => resolve());
		process.once('SIGTERM', () => resolve());
	});
	await lab.stop();
}

main(process.argv.slice(2)).catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
