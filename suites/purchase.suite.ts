// BY: the plug-in's purchases (an optional flow: skipped, with the reason, when not implemented).
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('BY', 'plugin', providedReport);
