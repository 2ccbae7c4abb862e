import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SUPERVISORS_GROUP } from '../../functions/api/caller.ts';
import { ROUTE_SPECS } from '../../functions/api/routes.ts';

export interface UploadApiProps {
  fn: lambda.IFunction;
  /** Origins allowed to call the API and POST to the bucket from a browser. */
  allowedOrigins: string[];
}

/**
 * The upload API: a Cognito user pool whose users carry their agency in the immutable `custom:agencyId`
 * attribute (supervisors: the `supervisors` group and their office in `custom:officeId`), an HTTP API with a user-pool authorizer on every route, CORS for the agencies' web page, and
 * access logs. The pool is retained: it holds the agencies' accounts.
 */
export class UploadApi extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Agency uploaders carry agencyId; supervisors (group `supervisors`) carry officeId. Both immutable.
      customAttributes: {
        agencyId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        officeId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        "Accounts are created by operators only (no self sign-up) and must use TOTP MFA; the Plus plan's threat protection is a per-deployment cost decision (set featurePlan to PLUS to enable it).",
    });
    // Supervisors of the registry's offices: the API answers GET /supervision/* only for members.
    new cognito.CfnUserPoolGroup(this, 'Supervisors', {
      userPoolId: this.userPool.userPoolId,
      groupName: SUPERVISORS_GROUP,
      description: '政务公开监督机构：查看所监督机关的年度报告报送情况（custom:officeId 指明机构）',
    });
    // Users read their agency but can never write it: the API trusts the claim.
    this.client = this.userPool.addClient('UploadClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes('agencyId', 'officeId'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: false }),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: '政府信息公开工作年度报告上传接口',
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            agencyId: '$context.authorizer.claims.custom:agencyId',
            officeId: '$context.authorizer.claims.custom:officeId',
          }),
        ),
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('Agencies', this.userPool, {
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', props.fn);
    // The same route table `local --serve` matches and the handler dispatches on.
    for (const route of ROUTE_SPECS) {
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }
}
