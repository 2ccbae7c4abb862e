import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadRegistry } from '../functions/pipeline/registry.ts';
import { ReportPipelineStack } from '../lib/report-pipeline-stack.ts';

/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`). The agency registry is validated before anything is
 * built; cdk-nag's AwsSolutions pack checks the result at synth.
 */
const registry = loadRegistry();
const app = new App();
new ReportPipelineStack(app, 'ReportPipeline', {
  registry,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'Ingestion and validation of 政府信息公开工作年度报告',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
