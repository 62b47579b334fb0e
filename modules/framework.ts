/**
 * The one file that imports the CDK framework and its AWS provider bindings:
 * CDKTF (`cdktf`, `@cdktf/provider-aws`). HashiCorp archived CDKTF in
 * December 2025; CDK Terrain (`cdktn`, `@cdktn/provider-aws`) is the
 * maintained fork, with the same API under new package names, so moving to
 * it changes the package names below and nothing else (docs/decisions.md).
 */
export { App, Aspects, DataResource, Lazy, LocalBackend, TerraformIterator, TerraformLocal, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
export type { IAspect } from "cdktf";
export { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
export { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
export { ApiGatewayBasePathMapping } from "@cdktf/provider-aws/lib/api-gateway-base-path-mapping";
export { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
export { ApiGatewayDomainName } from "@cdktf/provider-aws/lib/api-gateway-domain-name";
export { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
export { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
export { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
export { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
export { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
export { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
export { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
export { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
export { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
export { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
export { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
export { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
export { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
export { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
export { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
export { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
export { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
export { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
export { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
export { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
export { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
export { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
export { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
export { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
export { CognitoUserGroup } from "@cdktf/provider-aws/lib/cognito-user-group";
export { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
export { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
export { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
export { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
export { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
export { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
export { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
export { IamRole } from "@cdktf/provider-aws/lib/iam-role";
export { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
export { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
export { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
export { AwsProvider } from "@cdktf/provider-aws/lib/provider";
export { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
export { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
export { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
export { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
export { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
export { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
export { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
export { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
export { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
export { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
export { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
