import { Aws, CfnOutput, CfnRule, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ClaimNames, COGNITO_CLAIMS, SUPERVISORS_GROUP } from '../../functions/api/claims.ts';
import { ROUTE_SPECS } from '../../functions/api/routes.ts';
import { isChinaRegion } from '../region.ts';

/** Who signs the tokens the API trusts. */
export type Identity =
  | { kind: 'cognito' }
  | {
      kind: 'oidc';
      /** The issuer URL (`iss`); API Gateway reads its keys through `{issuer}/.well-known/openid-configuration`. */
      issuer: string;
      /** Accepted `aud` (or `client_id`) values. */
      audience: string[];
      /** The client id the pages sign in with (config.json). */
      clientId: string;
      claims: ClaimNames;
    };

export interface UploadApiProps {
  fn: lambda.IFunction;
  /** Origins allowed to call the API and POST to the bucket from a browser. */
  allowedOrigins: string[];
  identity: Identity;
}

/** What the pages need to sign in (config.json) and the API to read the caller. */
export interface SignIn {
  issuer: string;
  clientId: string;
  claims: ClaimNames;
}

/**
 * The upload API: an HTTP API with a JWT authorizer on every route, CORS for the pages, and access logs.
 * The tokens come from an OpenID Connect issuer named in context (the province's identity platform,
 * Keycloak, any certified provider) or, by default where Cognito exists, from the stack's Cognito user
 * pool, whose users carry their agency in the immutable `custom:agencyId` attribute (supervisors: the
 * `supervisors` group and their office in `custom:officeId`). The pool is retained: it holds the accounts.
 * The China regions have no Cognito user pools: there the synth refuses to go on without `oidcIssuer`.
 */
export class UploadApi extends Construct {
  readonly userPool: cognito.UserPool | undefined;
  readonly client: cognito.UserPoolClient | undefined;
  readonly api: apigw.HttpApi;
  readonly signIn: SignIn;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { identity } = props;
    let authorizer: apigw.IHttpRouteAuthorizer;
    if (identity.kind === 'cognito') {
      this.refuseCognitoInChina();
      const { userPool, client } = this.cognitoPool();
      this.userPool = userPool;
      this.client = client;
      this.signIn = {
        issuer: userPool.userPoolProviderUrl,
        clientId: client.userPoolClientId,
        claims: COGNITO_CLAIMS,
      };
      authorizer = new HttpUserPoolAuthorizer('Agencies', userPool, {
        userPoolClients: [client],
        identitySource: ['$request.header.Authorization'],
      });
      new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    } else {
      this.userPool = undefined;
      this.client = undefined;
      this.signIn = { issuer: identity.issuer, clientId: identity.clientId, claims: identity.claims };
      authorizer = new HttpJwtAuthorizer('Agencies', identity.issuer, {
        jwtAudience: identity.audience,
        identitySource: ['$request.header.Authorization'],
      });
      new CfnOutput(this, 'Issuer', { value: identity.issuer });
    }

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
    const { claims } = this.signIn;
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
            agencyId: `$context.authorizer.claims.${claims.agency}`,
            officeId: `$context.authorizer.claims.${claims.office}`,
          }),
        ),
      },
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
  }

  /**
   * Cognito user pools do not exist in the China regions (and API Gateway has no Cognito authorizer
   * there): a China synth without an issuer stops here naming the option; a template synthesized without
   * a region carries a rule that stops its deployment in the `aws-cn` partition.
   */
  private refuseCognitoInChina(): void {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region)) {
      if (isChinaRegion(region)) {
        throw new Error(
          `Cognito user pools do not exist in ${region}: synthesize with -c oidcIssuer=https://… -c oidcAudience=CLIENT_ID (docs/deploy.md, "Identity")`,
        );
      }
      return;
    }
    new CfnRule(this, 'CognitoNotInChina', {
      assertions: [
        {
          assert: Fn.conditionNot(Fn.conditionEquals(Aws.PARTITION, 'aws-cn')),
          assertDescription:
            'This template holds a Cognito user pool, which the China regions lack: synthesize with AWS_REGION set and -c oidcIssuer=… -c oidcAudience=…',
        },
      ],
    });
  }

  private cognitoPool(): { userPool: cognito.UserPool; client: cognito.UserPoolClient } {
    const userPool = new cognito.UserPool(this, 'Users', {
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
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        "Accounts are created by operators only (no self sign-up) and must use TOTP MFA; the Plus plan's threat protection is a per-deployment cost decision (set featurePlan to PLUS to enable it).",
    });
    // Supervisors of the registry's offices: the API answers GET /supervision/* only for members.
    new cognito.CfnUserPoolGroup(this, 'Supervisors', {
      userPoolId: userPool.userPoolId,
      groupName: SUPERVISORS_GROUP,
      description: '政务公开监督机构：查看所监督机关的年度报告报送情况（custom:officeId 指明机构）',
    });
    // Users read their agency but can never write it: the API trusts the claim.
    const client = userPool.addClient('UploadClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true })
        .withCustomAttributes('agencyId', 'officeId'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: false }),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });

    return { userPool, client };
  }
}
