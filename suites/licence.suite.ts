// RL: the plug-in's licence refresh (an optional flow: skipped, with the reason, when not implemented).
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('RL', 'plugin', providedReport);
