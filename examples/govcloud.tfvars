# AWS GovCloud (US-West): the REST front with a regional WAF, the module's own pool with one app client per
# tenant, sessions on. FIPS endpoints are the default in GovCloud; CloudFront and Cognito threat protection
# are not offered there (docs/architecture.md, "AWS GovCloud (US)").
region      = "us-gov-west-1"
kms_key_arn = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

api_type        = "REST"
waf_acl_arn     = "arn:aws-us-gov:wafv2:us-gov-west-1:111122223333:regional/webacl/mcp-api/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
enable_sessions = true
tenants         = ["agency-a", "agency-b"]

alarm_email_addresses = ["oncall@example.gov"]
