// EX: the store's discovery page calling External.download, in real headless Chromium.
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('EX', 'plugin', providedReport);
