/**
 * The rule catalog as data (rules.md). IDs never change meaning; a new rule gets a new ID.
 * `side` says which kind of candidate the rule judges; `family` groups rules into suites.
 */
export type RuleLevel = 'required' | 'recommended';
export type RuleFamily = 'DL' | 'LC' | 'WR' | 'EX' | 'BY' | 'RL' | 'SM' | 'PL';
export type CandidateSide = 'plugin' | 'player';

export interface RuleInfo {
  id: string;
  family: RuleFamily;
  side: CandidateSide;
  level: RuleLevel;
  statement: string;
  /** Where the rule comes from: protocol.md sections and decisions. */
  source: string;
}

const plugin = (id: string, family: RuleFamily, level: RuleLevel, statement: string, source: string): RuleInfo =>
  ({ id, family, side: 'plugin', level, statement, source });
const player = (id: string, level: RuleLevel, statement: string, source: string): RuleInfo =>
  ({ id, family: 'PL', side: 'player', level, statement, source });

export const RULES: readonly RuleInfo[] = [
  plugin('DL-01', 'DL', 'required', '`download` returns a success HRESULT for every well-formed list while a callback is set, and returns without waiting on the store back end.', 'protocol.md §2.3, §8; decision 9'),
  plugin('DL-02', 'DL', 'required', 'Every track ID in the list gets at least one `downloadTrack` call with that transaction\'s cookie: no track is left out, under every fault pattern.', 'protocol.md §2.3 ("once for every track"); decision 2'),
  plugin('DL-03', 'DL', 'required', 'No track ID gets more `downloadTrack` calls than it has occurrences in the list, counting late calls up to the end of the scenario.', 'protocol.md §2.3; decision 1'),
  plugin('DL-04', 'DL', 'required', 'Every `downloadTrack` carries the cookie of the transaction its track belongs to, exactly (all 32 bits); concurrent transactions are never mixed up.', 'protocol.md §2.3, §9.4'),
  plugin('DL-05', 'DL', 'required', 'Every `downloadTrack` names a cookie the plug-in was given and a track ID from that transaction\'s list.', 'protocol.md §9.8, §9.9'),
  plugin('DL-06', 'DL', 'required', 'A success `hrDownload` comes with an absolute `http:`/`https:` URL, and for an entitled track whose media is healthy that URL downloads completely.', 'protocol.md §2.3, §9.5'),
  plugin('DL-07', 'DL', 'required', 'The store\'s decision is honoured: a refused track (403) gets a failure `hrDownload`; an entitled track whose back end is healthy (at once or slowly) gets a success `hrDownload`.', 'protocol.md §2.3; reference store API (contract §3)'),
  plugin('DL-08', 'DL', 'required', 'Back-end faults: a track whose back end fails permanently gets a failure `hrDownload` (once); a transient fault may end either way, still once.', 'protocol.md §2.3; contract §3'),
  plugin('DL-09', 'DL', 'required', '`downloadTrackComplete` returns a success HRESULT for every completion the Player sends, in any order, with any params, and never throws.', 'protocol.md §2.3 (DownloadTrackComplete returns S_OK)'),
  plugin('DL-10', 'DL', 'required', 'Liveness after faults: after Player failures, back-end or media faults and list faults, every later transaction is still served in full (DL-02…DL-07 hold for it).', 'protocol.md §8; decision 6'),
  plugin('DL-11', 'DL', 'required', 'An empty list, or containers with no items: `download` succeeds and no `downloadTrack` is made.', 'protocol.md §9.2'),
  plugin('DL-12', 'DL', 'required', 'Full value ranges: cookies and IDs anywhere in 0…0xFFFFFFFF are carried exactly; prices, types and params of any Unicode content (U+0000, unpaired surrogates) do not disturb the plug-in.', 'protocol.md §7'),
  plugin('DL-13', 'DL', 'recommended', 'The plug-in reads the list within bounds: no getter is called with an out-of-range index.', 'protocol.md §3.1, §3.2, §9.11'),
  plugin('DL-14', 'DL', 'recommended', 'A track listed more than once in one transaction gets exactly one call (set semantics).', 'decision 1'),
  plugin('DL-15', 'DL', 'required', 'Nothing escapes: no plug-in method throws anything but an `HResultError`, and the plug-in raises no uncaught exception or unhandled rejection during a scenario.', 'contract §1'),
  plugin('DL-16', 'DL', 'required', 'The plug-in stays responsive: it never blocks its thread (a synchronous loop), never exhausts its memory, and (out of process) never crashes, exits or stops reading while a scenario runs.', 'protocol.md §8 (calls are synchronous cross-process calls: a plug-in that hangs hangs the Player); added by wmpcert'),
  plugin('LC-01', 'LC', 'required', 'No callback call is made before `setCallback` gave a callback, nor after `setCallback(null)` has returned.', 'protocol.md §1 (SetCallback)'),
  plugin('LC-02', 'LC', 'recommended', '`setCallback` returns a success HRESULT, for a callback and for null.', 'protocol.md §3.3'),
  player('PL-01', 'required', 'Every `downloadTrack` with a success `hrDownload` (that the player accepted) is answered by exactly one `downloadTrackComplete`.', 'protocol.md §2.3'),
  player('PL-02', 'required', 'The completion echoes the `downloadParams` string exactly: same UTF-16 code units, U+0000 and unpaired surrogates included, up to at least 64 KiB.', 'protocol.md §2.3, §9.6, §9.7'),
  player('PL-03', 'required', 'The completion\'s `contentID` equals the `serviceTrackID` of its `downloadTrack`.', 'protocol.md §2.3, §9.4'),
  player('PL-04', 'required', 'A failure `hrDownload` starts no download and gets no completion.', 'protocol.md §2.3, §9.3; decision 3'),
  player('PL-05', 'required', 'The completion\'s `hrResult` is a success exactly when the media arrived whole (404, 5xx, a network error or a body shorter than its `Content-Length` give a failure).', 'protocol.md §2.3; contract §3'),
  player('PL-06', 'required', 'The library holds exactly the tracks whose completion was a success, with their full byte counts.', 'protocol.md §2.3 (library update); contract §5'),
  player('PL-07', 'required', '`downloadTrack` with an unknown cookie, or with a track ID not in that transaction, returns a failure HRESULT and starts no download.', 'protocol.md §9.8, §9.9'),
  player('PL-08', 'required', '`download` is given a list whose transaction type is Download and whose containers and items are the ones asked for, and a cookie unlike every other transaction still in flight.', 'protocol.md §2.2, §3.1, §9.8, §9.12; decision 8'),
  player('PL-09', 'required', 'The player\'s list getters reject an out-of-range index with `E_INVALIDARG`.', 'protocol.md §9.11; contract §1'),
  player('PL-10', 'required', 'The player calls `setCallback` with a callback before its first `download`, and `setCallback(null)` on detach.', 'protocol.md §1 (SetCallback)'),
  player('PL-11', 'recommended', 'A null `downloadParams` is echoed as null (COM treats NULL and empty alike; the wire keeps them apart).', 'protocol.md §9.6; decision 5'),
  player('PL-12', 'required', 'The player stays responsive: it never blocks its thread (a synchronous loop) or exhausts its memory while a scenario runs.', 'protocol.md §8 (calls are synchronous: a Player that blocks its thread hangs the plug-ins it hosts); added by wmpcert'),
  plugin('BY-01', 'BY', 'required', '`buy` returns a success HRESULT at once, without waiting on the store back end.', 'protocol.md §5.1, §8 (Buy starts the purchase; results come through the callback)'),
  plugin('BY-02', 'BY', 'required', 'Every Buy that returned success gets exactly one `buyComplete`, on failure too, carrying the Buy\'s cookie; no `buyComplete` names another cookie.', 'protocol.md §5.1 and §9.19: the documentation says exactly once, even on failure; the header\'s comment says only on success — wmpcert follows the documentation'),
  plugin('BY-03', 'BY', 'required', '`buyComplete` reports a success exactly when the store accepted the purchase (declined or failed: a failure HRESULT); its result is an HRESULT, a signed 32-bit integer (anything else reports neither).', 'protocol.md §5.1; reference store API (contract §3)'),
  plugin('BY-04', 'BY', 'required', '`canBuySilent` gives a total price string (its own computing) and a boolean, and does not fail.', 'protocol.md §3.3, §5.1'),
  plugin('BY-05', 'BY', 'required', 'A Buy asks the store for exactly the tracks of its list (all its requests together, under its cookie), and `buyComplete` reports a success only for a purchase the store was asked for.', 'protocol.md §5.1 (Buy passes the same container list CanBuySilent priced); reference store API (docs: POST /v1/purchases); added by wmpcert'),
  plugin('RL-01', 'RL', 'required', '`refreshLicense` returns a success HRESULT at once for every request — a NULL URL with fLocal = false (the file is only on the store\'s servers) included.', 'protocol.md §5.2 (the SDK sample rejects the NULL URL, contradicting the documentation)'),
  plugin('RL-02', 'RL', 'required', 'Every accepted licence refresh gets exactly one `refreshLicenseComplete`, with the same cookie and content ID.', 'protocol.md §5, §5.2, §9.20'),
  plugin('RL-03', 'RL', 'required', '`refreshLicenseComplete` reports a success exactly when the store renewed the licence; its result is an HRESULT, a signed 32-bit integer (anything else reports neither).', 'protocol.md §5.2; reference store API (contract §3)'),
  plugin('SM-01', 'SM', 'required', '`sendMessage` returns a success HRESULT, and exactly one `sendMessageComplete` follows, whatever the store answered.', 'protocol.md §5.3, §9.20'),
  plugin('SM-02', 'SM', 'required', '`sendMessageComplete` echoes the message and its parameter exactly: same UTF-16 code units, U+0000, unpaired surrogates and NULL included.', 'protocol.md §5.3 (the Player does not interpret the strings)'),
  plugin('SM-03', 'SM', 'required', '`sendMessageComplete`\'s result is a BSTR: a string, or NULL. That is all a page may rely on: the Player does not interpret it, and its content is between the store\'s page and its plug-in.', 'protocol.md §5.3 (SendMessageComplete(BSTR, BSTR, BSTR); none of the strings is interpreted by the Player); added by wmpcert'),
  plugin('WR-01', 'WR', 'required', 'An out-of-process plug-in writes only well-formed messages: one JSON-RPC 2.0 object per UTF-8 line of at most 1 MiB, matching the shipped wire schema, answering only requests it was sent.', 'contract §4; added by wmpcert (judged for --exec candidates only)'),
  plugin('EX-01', 'EX', 'required', 'Every `External.download` call of the discovery page names a known location type: `Type` is the string "CPTrackID", "CPAlbumID" or "CPListID", exactly.', 'protocol.md §6, §4 (library-location constants), §9.21; decided by wmpcert (harness/discovery/README.md): the three types External.buy takes, the only ones that map to container lists'),
  plugin('EX-02', 'EX', 'required', 'Its `IDs` is one string of decimal 32-bit unsigned numbers separated by ";": no empty item, no space, sign or leading zero, none above 4294967295.', 'protocol.md §6 ("12;15;99"), §7 (IDs are DWORDs), §9.21; decided by wmpcert (harness/discovery/README.md): split on ";", nothing trimmed, each item /^(0|[1-9][0-9]*)$/'),
  plugin('EX-03', 'EX', 'required', 'Each well-formed call becomes a download the plug-in serves in full: the required DL rules hold for the transaction the Player builds from it.', 'protocol.md §2.1, §6; mapping decided by wmpcert (harness/discovery/README.md): CPTrackID → one UnknownLocation container (ID 0xFFFFFFFF) of the tracks in page order; CPAlbumID / CPListID → one container per ID holding its tracks; duplicates kept; IDs not in the catalog left out; a malformed call starts no download'),
];

export function ruleById(id: string): RuleInfo | undefined {
  return RULES.find((rule) => rule.id === id);
}

export function rulesFor(side: CandidateSide): RuleInfo[] {
  return RULES.filter((rule) => rule.side === side);
}

export const FAMILY_TITLES: Record<RuleFamily, string> = {
  DL: 'Plug-in: the download flow',
  LC: 'Plug-in: lifecycle',
  WR: 'Plug-in: the wire protocol (out of process)',
  EX: 'Plug-in: External.download from the discovery page',
  BY: 'Plug-in: purchases',
  RL: 'Plug-in: licence refresh',
  SM: 'Plug-in: page messages',
  PL: 'Player: hosting plug-ins',
};
