import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackPropsFromContext } from '../lib/context.ts';
import { ReportPipelineStack } from '../lib/report-pipeline-stack.ts';

/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`). Everything a deployment chooses comes from context
 * (`-c name=value`; docs/deploy.md has the table), the registry first, validated before anything is
 * built; cdk-nag's AwsSolutions pack checks the result at synth.
 */
const app = new App();
new ReportPipelineStack(app, 'ReportPipeline', {
  ...stackPropsFromContext(app),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'Ingestion and validation of 政府信息公开工作年度报告',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
