# An identity plane you already run: the module creates no Cognito resources and
# the authorizer trusts your pool and app client. The image comes from a central registry.
region      = "us-gov-west-1"
kms_key_arn = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
name        = "mcp-tools"
tags        = { Environment = "prod", System = "mcp" }

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_uri = "444455556666.dkr.ecr.us-gov-west-1.amazonaws.com/platform/mcp-server:2.3.1"

cognito_user_pool_id       = "us-gov-west-1_AbCdEf123"
cognito_user_pool_endpoint = "cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbCdEf123"
cognito_client_id          = "1example23456789abcdefghij"
