/** Small helpers shared by the runtime modules: JSON files, timing, free ports. Node built-ins only. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';

/** Parses a JSON file; the caller names the shape it expects (nothing checks it). */
export function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function readJsonOr<T, F>(file: string, fallback: F): T | F {
	try {
		return readJson<T>(file);
	} catch {
		return fallback;
	}
}

export function readFileOr<F>(file: string, fallback: F): string | F {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return fallback;
	}
}

export function statOr(file: string): fs.Stats | null {
	try {
		return fs.statSync(file);
	} catch {
		return null;
	}
}

export function sha256File(file: string): string {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function fmtSecs(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A free TCP port on 127.0.0.1 (bound and released; a small race is possible but harmless in tests). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as AddressInfo; // a TCP listener: never a pipe name or null
			srv.close(() => resolve(port));
		});
	});
}
