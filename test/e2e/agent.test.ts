/**
 * End to end, as AI Agent tools: real n8n (scripts/runtime) runs a workflow Manual Trigger → Edit
 * Fields (chatInput) → AI Agent, whose chat model is n8n's OpenAI Chat Model pointed at a scripted
 * OpenAI-compatible server on 127.0.0.1 (modelServer.ts), and whose tools are the tool versions n8n
 * makes of this package's nodes (`n8n-nodes-people-sync.<node>Tool`, from `usableAsTool`), with the
 * lab's credentials, against the vendor simulators. Executed with `n8n execute`.
 *
 * The script: turn 1 calls Flameup's Create (a write), turn 2 PERSCOM's Get by email (a read), turn 3
 * answers with a text quoting both tool results. The test reads what n8n sent the model: the tools
 * with our descriptions and a description for every parameter, and the tools' results.
 */
import { CREDENTIAL_REFS, labCredentials, startLab, type Lab } from '../../scripts/lab';
import * as runtime from '../../scripts/runtime';
import { messageText, startModelServer, type ChatRequest, type ChatTool, type JsonSchema, type ModelServer, type Turn } from './modelServer';

jest.setTimeout(10 * 60_000);

const OPENAI_CREDENTIAL = { id: 'psOpenAiTestCred1', name: 'Test model' };
const WORKFLOW_ID = 'psAgentToolsE2e01';
const NEW_PERSON = { userId: 'agent-ada-001', email: 'ada.agent@example.com', firstName: 'Ada', lastName: 'Agentson' };
const FINAL_MARK = 'AGENT DONE';

let lab: Lab;
let home: runtime.N8nHome;
let model: ModelServer;
/** The PERSCOM user the model asks for by email. */
let perscomEmail: string;

/** The tool a description identifies (n8n names tools after their nodes; the description is ours). */
function toolBy(request: ChatRequest, words: RegExp): ChatTool {
	const tool = (request.tools ?? []).find((t) => words.test(t.function.description ?? ''));
	if (!tool) throw new Error(`no tool described as ${words}; got ${(request.tools ?? []).map((t) => t.function.name).join(', ')}`);
	return tool;
}

const toolMessages = (request: ChatRequest) => request.messages.filter((m) => m.role === 'tool');

/** The scripted model: a write, then a read, then a text quoting both results. */
function script(request: ChatRequest): Turn {
	const results = toolMessages(request);
	if (results.length === 0) {
		const create = toolBy(request, /Create one person in Flameup/);
		return { toolCalls: [{ name: create.function.name, arguments: { External_ID: NEW_PERSON.userId, Email: NEW_PERSON.email, First_Name: NEW_PERSON.firstName, Last_Name: NEW_PERSON.lastName } }] };
	}
	if (results.length === 1) {
		const get = toolBy(request, /Get one user of PERSCOM/);
		const keys = Object.keys(get.function.parameters?.properties ?? {});
		if (keys.length !== 1) throw new Error(`PERSCOM Get takes [${keys.join(', ')}], expected one key`);
		return { toolCalls: [{ name: get.function.name, arguments: { [keys[0]]: perscomEmail } }] };
	}
	return { text: `${FINAL_MARK}. Created in Flameup: ${messageText(results[0])} Found in PERSCOM: ${messageText(results[1])}` };
}

function workflow() {
	const at = (x: number, y: number): [number, number] => [x, y];
	return {
		id: WORKFLOW_ID,
		name: 'People Sync tools for the AI Agent (e2e)',
		nodes: [
			{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: at(0, 0), parameters: {} },
			{
				id: 'n2',
				name: 'Edit Fields',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: at(200, 0),
				parameters: {
					assignments: {
						assignments: [
							{ id: 'a1', name: 'chatInput', type: 'string', value: `Add ${NEW_PERSON.firstName} ${NEW_PERSON.lastName} (${NEW_PERSON.email}) to Flameup, then look up a PERSCOM user.` },
						],
					},
					options: {},
				},
			},
			{
				id: 'n3',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				// The newest AI Agent each runtime has: 3.1 in n8n 2.x, 3 in 1.123.
				typeVersion: runtime.PROFILE_NAME === 'v1' ? 3 : 3.1,
				position: at(400, 0),
				parameters: { promptType: 'define', text: '={{ $json.chatInput }}', options: { systemMessage: 'You manage people records with the tools given.' } },
			},
			{
				id: 'n4',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: at(300, 200),
				parameters: { model: { __rl: true, mode: 'id', value: 'test-model' }, options: {} },
				credentials: { openAiApi: OPENAI_CREDENTIAL },
			},
			{
				// a write with the tool's defaults only (version 1.1): the person's fields are asked of the model
				id: 'n5',
				name: 'Flameup Create Person',
				type: 'n8n-nodes-people-sync.flameupTool',
				typeVersion: 1.1,
				position: at(450, 200),
				parameters: { resource: 'person', operation: 'create' },
				credentials: { flameupApi: CREDENTIAL_REFS.flameupApi },
			},
			{
				// a read with the tool's defaults only: its ID is asked of the model by the default $fromAI()
				id: 'n6',
				name: 'PERSCOM Get User',
				type: 'n8n-nodes-people-sync.perscomTool',
				typeVersion: 1,
				position: at(600, 200),
				parameters: { resource: 'user', operation: 'get' },
				credentials: { perscomApi: CREDENTIAL_REFS.perscomApi },
			},
			{
				// offered, not called: its schema too must describe every parameter
				id: 'n7',
				name: 'Flashduty Get Member',
				type: 'n8n-nodes-people-sync.flashdutyTool',
				typeVersion: 1,
				position: at(750, 200),
				parameters: { resource: 'member', operation: 'get' },
				credentials: { flashdutyApi: CREDENTIAL_REFS.flashdutyApi },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Edit Fields', type: 'main', index: 0 }]] },
			'Edit Fields': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Flameup Create Person': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'PERSCOM Get User': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Flashduty Get Member': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Every parameter of a JSON schema (nested objects too), with its path. */
function parameters(schema: JsonSchema | undefined, prefix = ''): Array<{ path: string; schema: JsonSchema }> {
	return Object.entries(schema?.properties ?? {}).flatMap(([key, value]) => [{ path: prefix + key, schema: value }, ...parameters(value, `${prefix}${key}.`)]);
}

beforeAll(async () => {
	await runtime.ensureRuntime({ log: (m) => process.stdout.write(`[n8n runtime] ${m}\n`) });
	lab = await startLab();
	perscomEmail = [...lab.perscom.users.values()][0].email;
	model = await startModelServer(script);
	home = await runtime.createN8nHome();
	await runtime.importCredentials(home.env, [
		...labCredentials(lab),
		{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-test-not-a-key', url: model.url, header: false } },
	]);
	await runtime.importWorkflow(home.env, workflow());
});

afterAll(async () => {
	await lab?.stop();
	await model?.stop();
	if (home) await runtime.removeN8nHome(home);
});

test('the AI Agent in real n8n calls the People Sync tools: a Flameup write and a PERSCOM read, results back to the model', async () => {
	expect(lab.flameup.byEmail(NEW_PERSON.email)).toBeUndefined();
	const run = await runtime.executeWorkflow(home.env, WORKFLOW_ID);
	const evidence = {
		status: run.status,
		error: run.data.resultData.error?.message,
		modelRequests: model.requests.length,
		modelAsked: model.requests.map((r) => ({ model: r.model, stream: r.stream === true, messages: r.messages.map((m) => m.role).join(',') })),
		otherRequests: model.other,
		tools: model.requests[0]?.tools?.map((t) => ({ name: t.function.name, description: t.function.description, parameters: t.function.parameters })),
		toolResults: model.requests.map((r) => toolMessages(r).map(messageText)),
		nodesRun: Object.keys(run.data.resultData.runData),
		agentOutput: run.data.resultData.runData['AI Agent']?.[0]?.data?.main?.[0]?.[0]?.json.output,
	};
	process.stdout.write(`[agent e2e] ${JSON.stringify(evidence, null, 2)}\n`);
	expect(run.status).toBe('success');
	expect(run.data.resultData.error).toBeUndefined();

	// n8n offered the three tools, with our descriptions and a description for every parameter.
	expect(model.requests).toHaveLength(3);
	expect(model.requests.every((r) => r.model === 'test-model')).toBe(true);
	const tools = model.requests[0].tools ?? [];
	expect(tools).toHaveLength(3);
	const create = toolBy(model.requests[0], /Create one person in Flameup/);
	expect(create.function.description).toMatch(/external ID/);
	expect(toolBy(model.requests[0], /Get one user of PERSCOM/).function.description).toMatch(/whole number/);
	expect(toolBy(model.requests[0], /Flashduty/).function.description).toMatch(/email/i);
	for (const tool of tools) {
		const params = parameters(tool.function.parameters);
		expect({ tool: tool.function.name, count: params.length > 0 }).toEqual({ tool: tool.function.name, count: true });
		for (const p of params) expect({ tool: tool.function.name, parameter: p.path, description: (p.schema.description ?? '').trim().length > 0 }).toEqual({ tool: tool.function.name, parameter: p.path, description: true });
	}
	// Create's fields, each optional: the model sends what it knows.
	expect(Object.keys(create.function.parameters?.properties ?? {}).sort()).toEqual(['Avatar_URL', 'Email', 'External_ID', 'First_Name', 'Last_Name', 'Locale', 'Phone', 'Timezone']);
	expect(create.function.parameters?.required ?? []).toEqual([]);

	// The write reached Flameup.
	expect(lab.flameup.byEmail(NEW_PERSON.email)).toMatchObject({ email: NEW_PERSON.email, first_name: NEW_PERSON.firstName, last_name: NEW_PERSON.lastName });

	// The tools' results reached the model: the created person, then the PERSCOM user.
	const [created, found] = toolMessages(model.requests[2]).map(messageText);
	expect(created).toContain(NEW_PERSON.email);
	expect(created).toContain(NEW_PERSON.userId);
	const user = lab.perscom.byEmail(perscomEmail)!;
	expect(found).toContain(perscomEmail);
	expect(found).toContain(user.name);

	// The agent's output is the model's final text.
	const [output] = runtime.nodeOutput(run, 'AI Agent');
	expect(String(output.output)).toContain(FINAL_MARK);
	expect(String(output.output)).toContain(user.name);
});
