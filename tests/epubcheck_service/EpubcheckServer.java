import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.api.EPUBProfile;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.api.MasterReport;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.util.FeatureEnum;
import com.adobe.epubcheck.util.ReportingLevel;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates EPUB files named one per line on stdin and answers one JSON line per file on stdout,
 * so a test session pays the JVM start and EPUBCheck's schema loading once.
 *
 * <p>Protocol: first line out is {"ready": true, "version": "..."}; then for each path in, one of
 * {"path": p, "messages": [{"severity", "id", "message", "path", "line", "column"}, ...]} or
 * {"path": p, "crash": "stack trace"}. A message's "path" is the file inside the EPUB, or "" for
 * a message about the EPUB file itself. The process ends when stdin closes.
 */
public final class EpubcheckServer {

  public static void main(String[] args) throws IOException {
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    // Library code may print to System.out; keep it off the channel the client parses.
    System.setOut(System.err);
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("ready", true);
    ready.put("version", EpubCheck.version());
    protocol.println(json.writeValueAsString(ready));

    BufferedReader requests =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String path;
    while ((path = requests.readLine()) != null) {
      if (!path.isEmpty()) {
        protocol.println(json.writeValueAsString(check(path)));
      }
    }
  }

  private static Map<String, Object> check(String path) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("path", path);
    File epub = new File(path);
    CollectingReport report = new CollectingReport(epub);
    try {
      EpubCheck checker = new EpubCheck(epub, report, EPUBProfile.DEFAULT);
      // A fixed locale keeps message texts comparable whatever the machine's language.
      checker.setLocale(Locale.ENGLISH);
      checker.doValidate();
      answer.put("messages", report.messages);
    } catch (RuntimeException | StackOverflowError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      answer.put("crash", trace.toString());
    }
    return answer;
  }

  /** Keeps every message down to USAGE; the client decides which ones the CLI would show. */
  static final class CollectingReport extends MasterReport {
    final List<Map<String, Object>> messages = new ArrayList<>();
    // How EPUBCheck names the EPUB file itself in a location (it depends on the working folder).
    private final String epubLocation;

    CollectingReport(File epub) {
      setEpubFileName(epub.getPath());
      setReportingLevel(ReportingLevel.Usage);
      epubLocation = EPUBLocation.of(epub).getPath();
    }

    @Override
    public void message(Message message, EPUBLocation location, Object... args) {
      String text = args != null && args.length > 0 ? message.getMessage(args) : message.getMessage();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("severity", message.getSeverity().toString());
      entry.put("id", message.getID().toString());
      // Same whitespace folding as the command-line report, so texts match it verbatim.
      entry.put("message", text == null ? "" : text.replaceAll("\\s+", " "));
      String where = location.getPath();
      entry.put("path", where == null || where.equals(epubLocation) ? "" : where);
      entry.put("line", location.getLine());
      entry.put("column", location.getColumn());
      messages.add(entry);
    }

    @Override
    public void info(String resource, FeatureEnum feature, String value) {}

    @Override
    public int generate() {
      return 0;
    }

    @Override
    public void initialize() {}
  }
}
