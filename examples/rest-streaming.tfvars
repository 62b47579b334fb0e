# requires: hashicorp/aws 6
# Long-running tools with progress: the REST front streams the function's answers (response_transfer_mode
# STREAM, Lambda's InvokeWithResponseStream), so a tool call may run up to Lambda's 15 minutes and its
# progress reaches the client as it is sent. Needs hashicorp/aws >= 6.26.0 (the default build). Sessions on.
region      = "us-east-1"
kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

vpc_id                 = "vpc-0a1b2c3d4e5f60718"
subnet_ids             = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
vpc_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

image_tag = "0.1.0"

api_type                  = "REST"
enable_response_streaming = true
lambda_timeout            = 900
enable_sessions           = true
tenants                   = ["acme", "globex"]
