/**
 * The container list the simulated Player hands to `download`: every getter call is recorded,
 * indices are bounds-checked (E_INVALIDARG, as a real Player's getters would fail), and a
 * scenario's list fault makes one getter fail from its n-th call on (a Player that went away).
 */
import { E_INVALIDARG, HResultError } from '../protocol/hresult.ts';
import { TransactionType, type ContentContainer, type ContentContainerList } from '../protocol/types.ts';
import type { ContainerSpec, ListFault, ListGetter } from '../scenario/model.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import { describeThrown } from '../trace/thrown-value.ts';
import { toTraceValue } from '../trace/trace-value.ts';

/** The list as data, unrecorded: what the stdio adapter sends over the wire. */
export interface ListSnapshot {
  transactionType: TransactionType;
  containers: ContainerSpec[];
}

class ListRecorder {
  private readonly calls = new Map<ListGetter, number>();
  /** How the trace names this list: one object shared by all its calls (trace events are never modified). */
  private readonly listArg: { list: number };
  constructor(
    private readonly recorder: TraceRecorder,
    private readonly fault: ListFault | null,
    readonly listIndex: number,
    private readonly onFault: () => void,
  ) {
    this.listArg = { list: listIndex };
  }

  invoke<T>(method: string, args: unknown[], body: () => T): T {
    // Arrays of their exact length: a list is read once per item, and every one of these stays in the trace.
    const recorded = args.length === 0 ? [this.listArg]
      : args.length === 1 ? [this.listArg, toTraceValue(args[0])]
        : args.length === 2 ? [this.listArg, toTraceValue(args[0]), toTraceValue(args[1])]
          : [this.listArg, ...args.map(toTraceValue)];
    const { callId } = this.recorder.call('plugin', 'player', method, recorded, true);
    try {
      this.injectFault(method);
      const value = body();
      this.recorder.returned(callId, 'plugin', 'player', method, { value: typeof value === 'object' ? { container: args[0] } : value });
      return value;
    } catch (error) {
      this.recorder.returned(callId, 'plugin', 'player', method, { threw: describeThrown(error) });
      throw error;
    }
  }

  private injectFault(method: string): void {
    if (!this.fault || this.fault.getter !== method) return;
    const count = (this.calls.get(this.fault.getter) ?? 0) + 1;
    this.calls.set(this.fault.getter, count);
    if (count > this.fault.afterCalls) {
      this.onFault();
      throw new HResultError(this.fault.hr, `injected list fault: ${method} failed`);
    }
  }
}

function checkIndex(index: unknown, count: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new HResultError(E_INVALIDARG, `index ${String(index)} out of range 0..${count - 1}`);
  }
  return index;
}

function recordingContainer(spec: ContainerSpec, index: number, calls: ListRecorder): ContentContainer {
  return {
    getID: () => calls.invoke('getID', [index], () => spec.id),
    getPrice: () => calls.invoke('getPrice', [index], () => spec.price),
    getType: () => calls.invoke('getType', [index], () => spec.type),
    getContentCount: () => calls.invoke('getContentCount', [index], () => spec.items.length),
    getContentPrice: (item: number) => calls.invoke('getContentPrice', [index, item], () => spec.items[checkIndex(item, spec.items.length)]!.price),
    getContentID: (item: number) => calls.invoke('getContentID', [index, item], () => spec.items[checkIndex(item, spec.items.length)]!.id),
  };
}

export type RecordingList = ContentContainerList & { snapshot(): ListSnapshot };

export function recordingContainerList(
  containers: ContainerSpec[], listIndex: number, fault: ListFault | null, recorder: TraceRecorder, onFault: () => void,
): RecordingList {
  const calls = new ListRecorder(recorder, fault, listIndex, onFault);
  return {
    getTransactionType: () => calls.invoke('getTransactionType', [], () => TransactionType.Download),
    getContainerCount: () => calls.invoke('getContainerCount', [], () => containers.length),
    getContainer: (index: number) => calls.invoke('getContainer', [index], () => {
      const checked = checkIndex(index, containers.length);
      return recordingContainer(containers[checked]!, checked, calls);
    }),
    snapshot: () => ({ transactionType: TransactionType.Download, containers }),
  };
}
