package io.observes.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error as DynamoDB's JSON protocol sends it: HTTP 400 and {@code __type} naming the exception. */
final class AwsError extends RuntimeException {
  private final String type;

  AwsError(String type, String message) {
    super(message);
    this.type = type;
  }

  Reply reply() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("__type", "com.amazonaws.dynamodb.v20120810#" + type).put("message", getMessage());
    return new Reply(400, body);
  }
}
