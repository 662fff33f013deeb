/**
 * A container list copied by value for the wire: over stdio the plug-in cannot call back into the
 * Player's list, so the harness marshals it whole when it sends `download`.
 */
import type { ContentContainerList } from '../../protocol/types.ts';
import type { WireContainerList } from './wire-schema.ts';

/** The harness's own lists can describe themselves without their getters being traced as plug-in reads. */
export interface SnapshottableList extends ContentContainerList {
  snapshot(): WireContainerList;
}

function isSnapshottable(list: ContentContainerList): list is SnapshottableList {
  return typeof (list as Partial<SnapshottableList>).snapshot === 'function';
}

export function toWireContainerList(list: ContentContainerList): WireContainerList {
  return isSnapshottable(list) ? copyPlain(list.snapshot()) : readThroughGetters(list);
}

/** Keeps only the wire's fields, so a snapshot with extra properties still matches the schema. */
function copyPlain(snapshot: WireContainerList): WireContainerList {
  return {
    transactionType: snapshot.transactionType,
    containers: snapshot.containers.map(container => ({
      id: container.id,
      type: container.type,
      price: container.price,
      items: container.items.map(item => ({ id: item.id, price: item.price })),
    })),
  };
}

/** A list getter that throws (HResultError) propagates: the list cannot be marshaled. */
function readThroughGetters(list: ContentContainerList): WireContainerList {
  const containers = [];
  for (let c = 0, count = list.getContainerCount(); c < count; c++) {
    const container = list.getContainer(c);
    const items = [];
    for (let i = 0, itemCount = container.getContentCount(); i < itemCount; i++) {
      items.push({ id: container.getContentID(i), price: container.getContentPrice(i) });
    }
    containers.push({ id: container.getID(), type: container.getType(), price: container.getPrice(), items });
  }
  return { transactionType: list.getTransactionType(), containers };
}
