package io.observes.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An answer of the stand-in: its HTTP status and JSON body. */
record Reply(int status, ObjectNode body) {
  static Reply ok(ObjectNode body) {
    return new Reply(200, body);
  }
}
