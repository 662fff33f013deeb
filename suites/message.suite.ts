// SM: the plug-in's page messages (an optional flow: skipped, with the reason, when not implemented).
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('SM', 'plugin', providedReport);
