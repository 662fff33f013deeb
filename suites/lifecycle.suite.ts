// LC-01, LC-02: the plug-in's lifecycle.
import { describeRuleFamily } from '../harness/vitest/rule-suite.ts';
import { providedReport } from '../harness/vitest/provided-report.ts';

describeRuleFamily('LC', 'plugin', providedReport);
