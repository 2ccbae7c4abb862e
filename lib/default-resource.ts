import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A construct's own CloudFormation resource (its `node.defaultChild`), checked rather than cast: the
 * escape hatch for what an L2 cannot express (a property override, a logical id in a cdk-nag finding).
 */
export function defaultResource(construct: IConstruct): CfnResource {
  const child = construct.node.defaultChild;
  if (child === undefined || !CfnResource.isCfnResource(child)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource of its own`);
  }
  return child;
}
