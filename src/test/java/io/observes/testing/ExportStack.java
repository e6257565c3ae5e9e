package io.observes.testing;

import io.observes.aws.AwsClients;
import io.observes.aws.AwsSettings;
import io.observes.config.Environment;
import io.observes.demo.DemoStack;
import io.observes.demo.ExportStandIn;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo stack with its buckets and the export stand-in in front of DynamoDB Local, and clients of
 * both: what every test of DynamoDB exports starts once per class.
 */
public record ExportStack(DemoStack stack, DynamoDbClient dynamo, S3Client s3, ExportStandIn exports)
    implements AutoCloseable {
  public static ExportStack start() throws Exception {
    DemoStack stack = DemoStack.start(PostgresStandIn::forStack);
    AwsSettings aws = AwsSettings.from(new Environment(stack.environment("unused")));
    DynamoDbClient dynamo = AwsClients.dynamo(aws);
    S3Client s3 = AwsClients.s3(aws);
    for (String bucket : new String[] {DemoStack.DATA_BUCKET, DemoStack.CACHE_BUCKET, DemoStack.STATE_BUCKET}) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return new ExportStack(stack, dynamo, s3, new ExportStandIn(stack.dynamoEndpoint(), dynamo, s3));
  }

  @Override
  public void close() throws Exception {
    exports.close();
    s3.close();
    dynamo.close();
    stack.close();
  }
}
