package io.durablejobs.adapters.dlq;

import io.durablejobs.core.dlq.AuditEntry;
import io.durablejobs.core.dlq.DeadLetter;
import io.durablejobs.core.dlq.DeadLetterCursor;
import io.durablejobs.core.dlq.DeadLetterJson;
import io.durablejobs.core.dlq.DeadLetterPage;
import io.durablejobs.core.dlq.DeadLetterQuery;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreUnavailableException;
import io.durablejobs.core.dlq.DlqDepth;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Dead letters as JSON files, the local default: {@code <dir>/<namespace>/records/t-<tenant>/<jobId>.json}
 * (written to a temporary file and moved into place, so a reader never sees half a record) and an
 * append-only audit log per tenant. Listing reads the tenant's folder and sorts: fine for a developer's
 * machine, which is what this store is for; S3 is the store on AWS.
 */
public final class LocalDeadLetterStore implements DeadLetterStore {
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$");

    private final Path root;

    public LocalDeadLetterStore(Path dir, String namespace) {
        this.root = dir.resolve(namespace);
    }

    public Path root() {
        return root;
    }

    private Path tenantDir(String tenant) {
        return root.resolve("records").resolve("t-" + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
    }

    private Path file(String tenant, String jobId) {
        String name = SAFE.matcher(jobId).matches() ? jobId : "h-" + sha256(jobId);
        return tenantDir(tenant).resolve(name + ".json");
    }

    @Override
    public void put(DeadLetter record) {
        Path target = file(record.tenant(), record.jobId());
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".json");
            Files.write(tmp, DeadLetterJson.bytes(record));
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw unavailable("write", e);
        }
    }

    @Override
    public Optional<DeadLetter> find(String tenant, String jobId) {
        return read(file(tenant, jobId)).filter(d -> d.jobId().equals(jobId) && d.tenant().equals(tenant));
    }

    private Optional<DeadLetter> read(Path p) {
        try {
            return Optional.of(DeadLetterJson.parse(Files.readAllBytes(p)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unavailable("read", e);
        } catch (IllegalArgumentException e) {
            // A damaged file is not a dead letter: skip it rather than fail every listing.
            return Optional.empty();
        }
    }

    @Override
    public DeadLetterPage list(DeadLetterQuery q) {
        List<DeadLetter> all = new ArrayList<>(records(tenantDir(q.tenant())).stream().filter(q::matches).toList());
        all.sort(DeadLetterCursor.NEWEST_FIRST);
        List<DeadLetter> page = all.subList(0, Math.min(q.limit(), all.size()));
        return new DeadLetterPage(page, all.size() > page.size() ? DeadLetterCursor.of(page.get(page.size() - 1)) : null);
    }

    private List<DeadLetter> records(Path dir) {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw unavailable("list", new IOException(dir + " is not a folder"));
            }
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<DeadLetter> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith(".")).toList()) {
                read(p).ifPresent(out::add);
            }
            return out;
        } catch (IOException e) {
            throw unavailable("list", e);
        }
    }

    @Override
    public boolean delete(String tenant, String jobId) {
        try {
            return find(tenant, jobId).isPresent() && Files.deleteIfExists(file(tenant, jobId));
        } catch (IOException e) {
            throw unavailable("delete", e);
        }
    }

    @Override
    public DlqDepth depth() {
        Path records = root.resolve("records");
        if (!Files.isDirectory(records)) {
            return new DlqDepth(0, null);
        }
        long count = 0;
        Instant oldest = null;
        try (Stream<Path> tenants = Files.list(records)) {
            for (Path t : tenants.toList()) {
                for (DeadLetter d : records(t)) {
                    if (d.state() == DeadLetter.State.DEAD) {
                        count++;
                        oldest = oldest == null || d.deadLetteredAt().isBefore(oldest) ? d.deadLetteredAt() : oldest;
                    }
                }
            }
        } catch (IOException e) {
            throw unavailable("list", e);
        }
        return new DlqDepth(count, oldest);
    }

    private Path auditFile(String tenant) {
        return root.resolve("audit").resolve("t-" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + ".jsonl");
    }

    @Override
    public synchronized void audit(AuditEntry entry) {
        Path f = auditFile(entry.tenant());
        try {
            Files.createDirectories(f.getParent());
            byte[] line = DeadLetterJson.bytes(entry);
            byte[] withNewline = Arrays.copyOf(line, line.length + 1);
            withNewline[line.length] = '\n';
            Files.write(f, withNewline, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw unavailable("audit", e);
        }
    }

    @Override
    public List<AuditEntry> audits(String tenant, int limit) {
        try {
            List<String> lines = Files.readAllLines(auditFile(tenant), StandardCharsets.UTF_8);
            List<AuditEntry> out = new ArrayList<>();
            for (String l : lines) {
                if (!l.isBlank()) {
                    out.add(DeadLetterJson.parseAudit(l.getBytes(StandardCharsets.UTF_8)));
                }
            }
            Collections.reverse(out);
            return out.subList(0, Math.min(limit, out.size()));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw unavailable("audit read", e);
        }
    }

    @Override
    public String kind() {
        return "local";
    }

    private DeadLetterStoreUnavailableException unavailable(String op, IOException e) {
        return new DeadLetterStoreUnavailableException("dead-letter folder " + root + ": " + op + " failed: " + e, e);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
