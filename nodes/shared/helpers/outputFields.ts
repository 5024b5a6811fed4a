import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { perItemParameter } from './parameters';

/** The field names of Output Fields (tools only): comma-separated, trimmed, empty ones dropped. */
export function outputFieldNames(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((name) => String(name).trim()).filter((name) => name !== '');
}

function valueAt(record: IDataObject, path: string): unknown {
	if (path in record) return record[path];
	let value: unknown = record;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

/** A record with only the named fields (a dotted name keeps its value under that name); fields it lacks are left out. */
export function pickFields(record: IDataObject, names: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const name of names) {
		const value = valueAt(record, name);
		if (value !== undefined) picked[name] = value as IDataObject[string];
	}
	return picked;
}

/**
 * Output Fields applied to a read's outputs (the tool version's way to keep answers small). Error
 * items and not-found markers (`notFound: true`) are left whole: the model must see what failed.
 * Output Fields is read for each output's input item; without it (the node itself) nothing changes.
 */
export function withOutputFields(ctx: IExecuteFunctions, out: INodeExecutionData[]): INodeExecutionData[] {
	// Read once when it holds no expression (perItemParameter); split again only when it differs.
	const read = perItemParameter<unknown>(ctx, 'outputFields', '');
	let last: { value: unknown; names: string[] } | undefined;
	const namesFor = (itemIndex: number) => {
		const value = read(itemIndex);
		if (!last || last.value !== value) last = { value, names: outputFieldNames(value) };
		return last.names;
	};
	return out.map((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		const itemIndex = typeof paired === 'number' ? paired : (paired?.item ?? 0);
		const fields = namesFor(itemIndex);
		if (fields.length === 0 || item.error || item.json.error !== undefined || item.json.notFound === true) return item;
		return { ...item, json: pickFields(item.json, fields) };
	});
}
