/** The public entry point of wmpcert: the contract's types, HRESULT helpers and the store world. */
export * from './protocol/hresult.ts';
export * from './protocol/constants.ts';
export { TransactionType, StreamingType } from './protocol/types.ts';
export type {
  BSTR, DWORD, ContentContainer, ContentContainerList, ContentPartner, ContentPartnerCallback,
  CanBuySilentResult, PluginEnv, PluginCandidate, PlayerCandidate, PlayerEnv, PlayerUnderTest, ContainerSpec, LibraryEntry, Candidate,
} from './protocol/types.ts';
export { StoreWorld, type BackendDecision, type MediaDecision } from './world/store-world.ts';
export { storeApiHandlers, mediaHandlers } from './world/reference-handlers.ts';
