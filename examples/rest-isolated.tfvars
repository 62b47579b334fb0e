# requires: hashicorp/aws 6
# Lambda tenant isolation: one micro-VM per tenant, behind the REST API front, which passes the verified
# tenant claim as X-Amz-Tenant-Id. Needs hashicorp/aws >= 6.23.0 (the default build). An external pool:
# the REST authorizer names it by ARN.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

api_type                = "REST"
enable_tenant_isolation = true
enable_sessions         = true
tenant_claim            = "client_id"

cognito_user_pool_id       = "us-east-1_AbCdEf123"
cognito_user_pool_endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
cognito_user_pool_arn      = "arn:aws:cognito-idp:us-east-1:444455556666:userpool/us-east-1_AbCdEf123"
cognito_client_id          = "1example23456789abcdefghij"
