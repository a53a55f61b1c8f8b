package io.durablejobs.cli;

import io.durablejobs.client.Blob;
import io.durablejobs.client.BlobStored;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "blob", description = "Blobs in the tenant's key space (job inputs such as images): put, get.", mixinStandardHelpOptions = true,
        subcommands = {BlobCommand.Put.class, BlobCommand.Get.class})
final class BlobCommand implements Runnable {
    @ParentCommand
    JobsCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "blob needs a command: put or get");
    }

    @Command(name = "put", description = "Upload FILE (or - for stdin) as KEY, e.g. charts/q1.png. Keys under jobs/ are job outputs and refused.",
            mixinStandardHelpOptions = true)
    static final class Put implements Callable<Integer> {
        @ParentCommand
        BlobCommand parent;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "FILE", description = "the file, or - for stdin")
        String file;

        @Option(names = {"-c", "--content-type"}, description = "the media type kept with it (default: guessed from the file name, else application/octet-stream)")
        String contentType;

        @Override
        public Integer call() {
            byte[] content;
            try {
                content = file.equals("-") ? parent.root.io.in().readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage());
            }
            String type = contentType;
            if (type == null) {
                type = URLConnection.guessContentTypeFromName(file.equals("-") ? key : file);
            }
            BlobStored b = parent.root.client().putBlob(key, content, type);
            Output o = parent.root.output();
            if (o.json()) {
                o.json(b);
            } else {
                o.line((b.created() ? "stored " : "replaced ") + b.key() + " (" + b.bytes() + " bytes, " + b.contentType() + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Download KEY to a file (-o), or to stdout.", mixinStandardHelpOptions = true)
    static final class Get implements Callable<Integer> {
        @ParentCommand
        BlobCommand parent;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write it (default: stdout)")
        String output;

        @Override
        public Integer call() {
            Blob b = parent.root.client().getBlob(key);
            if (output == null) {
                parent.root.io.out().writeBytes(b.content());
                parent.root.io.out().flush();
                return ExitCodes.OK;
            }
            try {
                Files.write(Path.of(output), b.content());
            } catch (IOException e) {
                throw new UsageException("cannot write " + output + ": " + e.getMessage());
            }
            Output o = parent.root.output();
            if (o.json()) {
                o.json(Map.of("key", key, "bytes", b.content().length, "contentType", String.valueOf(b.contentType()), "file", output));
            } else {
                o.line("wrote " + output + " (" + b.content().length + " bytes, " + b.contentType() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
