/**
 * `INodeTypes` registry for one harness run: the node under test plus the start node.
 *
 * Community nodes are addressed in workflows as `<package name>.<description.name>`, so that is the
 * type string we give them. Versioned nodes are resolved with n8n-workflow's own
 * `NodeHelpers.getVersionedNodeType`, like n8n's `NodeTypes` service.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-whatsapp-cloud';

export function nodeTypeName(nodeType: INodeType | IVersionedNodeType): string {
	return `${PACKAGE_NAME}.${nodeType.description.name}`;
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	private readonly observed = new Map<INodeType, INodeType>();

	/**
	 * @param observe a type name whose `execute()` errors are reported to `onError` before n8n sees
	 * them. n8n's WorkflowExecute records a thrown error as a plain `{ ...error, message, stack }`
	 * copy (class lost), so this is the only way to hand tests the real NodeApiError instance.
	 * The wrapper inherits everything from the real node type and rethrows untouched.
	 */
	constructor(
		nodeTypes: Record<string, INodeType | IVersionedNodeType>,
		private readonly observe?: { type: string; onError: (error: unknown) => void },
	) {
		for (const [name, type] of Object.entries(nodeTypes)) this.types.set(name, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new UnexpectedError(`Harness: unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
		if (this.observe?.type !== nodeType || !type.execute) return type;
		let wrapper = this.observed.get(type);
		if (!wrapper) {
			const { execute } = type;
			const { onError } = this.observe;
			wrapper = Object.create(type) as INodeType;
			wrapper.execute = async function (this: IExecuteFunctions) {
				try {
					return await execute.call(this);
				} catch (error) {
					onError(error);
					throw error;
				}
			} as INodeType['execute'];
			this.observed.set(type, wrapper);
		}
		return wrapper;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
