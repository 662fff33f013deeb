// DL-01…DL-15: the plug-in side of the download flow.
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('DL', 'plugin', providedReport);
