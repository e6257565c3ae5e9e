package io.observes.secrets;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Recovers a file's 32-byte data key: from an age recipient stanza with one of this process's
 * identities (the age format by jagged, a maintained implementation of its spec), else from AWS
 * KMS. The first that opens wins; when none does, the error lists what was tried and what to set.
 */
public final class DataKey {
  static final int BYTES = 32;

  private final AgeIdentities identities;
  private final KmsDecrypt kms;

  /** Decrypts the ciphertext blob of a KMS key entry; a {@link SecretsException} says why it cannot. */
  public interface KmsDecrypt {
    byte[] decrypt(SopsMetadata.KmsKey key);
  }

  public DataKey(AgeIdentities identities, KmsDecrypt kms) {
    this.identities = Objects.requireNonNull(identities, "identities");
    this.kms = Objects.requireNonNull(kms, "kms");
  }

  /** A data key and what opened it ("age recipient age1...", "KMS key arn:..."), for messages. */
  public record Opened(byte[] key, String via) {
    @Override
    public String toString() {
      return "Opened[" + via + "]";
    }
  }

  public Opened open(SopsFile file) {
    List<String> tried = new ArrayList<>();
    SopsMetadata meta = file.metadata();
    if (!meta.age().isEmpty()) {
      if (identities.keys().isEmpty()) {
        tried.add("age recipients " + recipients(meta) + ": no age identity here (set SOPS_AGE_KEY_FILE to a keys file "
            + "holding one of them, or SOPS_AGE_KEY)");
      } else {
        for (SopsMetadata.AgeKey age : meta.age()) {
          try {
            return new Opened(checked(age(age.enc()), file), "age recipient " + age.recipient());
          } catch (GeneralSecurityException | IOException | RuntimeException e) {
            tried.add("age recipient " + age.recipient() + ": no identity of " + identities.sources() + " opens it");
          }
        }
      }
    }
    for (SopsMetadata.KmsKey key : meta.kms()) {
      try {
        return new Opened(checked(kms.decrypt(key), file), "KMS key " + key.arn());
      } catch (SecretsException e) {
        tried.add("KMS key " + key.arn() + ": " + e.getMessage());
      }
    }
    if (meta.age().isEmpty() && meta.kms().isEmpty()) {
      throw new SecretsException(file.origin() + " holds its data key for neither age nor AWS KMS (PGP, GCP, Azure and "
          + "Vault keys are not read by Observes). Add an age recipient or a KMS key with 'sops updatekeys' (docs/secrets.md)");
    }
    throw new SecretsException("cannot open the data key of " + file.origin() + ": " + String.join("; ", tried));
  }

  private static String recipients(SopsMetadata meta) {
    return meta.age().stream().map(SopsMetadata.AgeKey::recipient).toList().toString();
  }

  private static byte[] checked(byte[] key, SopsFile file) {
    if (key.length != BYTES) {
      throw new SecretsException(file.origin() + ": its data key has " + key.length + " bytes, not " + BYTES);
    }
    return key;
  }

  private byte[] age(String armored) throws GeneralSecurityException, IOException {
    List<RecipientStanzaReader> readers = new ArrayList<>();
    for (String identity : identities.keys()) {
      readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
    }
    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
    try (ReadableByteChannel plain = new ArmoredDecryptingChannelFactory().newDecryptingChannel(in, readers)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(256);
      while (plain.read(buffer) >= 0) {
        buffer.flip();
        out.write(buffer.array(), 0, buffer.limit());
        buffer.clear();
        if (out.size() > 1024) {
          throw new IOException("the data key is longer than any sops writes");
        }
      }
      return out.toByteArray();
    }
  }
}
