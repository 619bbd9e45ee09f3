import { describe, expect, it } from 'vitest';
import { firstErrorLine, redact, rowsCopied } from '../../../harness/tools/bcp-output.js';

// Captured from freebcp 1.3.17 against the TDS test server.
const FREEBCP_MISSING_TABLE = `Msg 208, Level 16, State 1
Server 'tds-test-server', Line 1
\tInvalid object name 'dbo.nope'.
Msg 20018, Level 16
General SQL Server error: Check messages from the SQL Server

Msg 20064, Level 2
Attempt to use Bulk Copy with a non-existent Server table
`;
const FREEBCP_LOGIN = `Msg 18456, Level 14, State 1
Server 'tds-test-server', Line 1
\tLogin failed for user 'sa'.
Msg 20018, Level 14
General SQL Server error: Check messages from the SQL Server

Msg 20002, Level 9
Adaptive Server connection failed (127.0.0.1)

Can't connect to server "127.0.0.1".
`;
const FREEBCP_EOF = `
Starting copy...
Msg 20104, Level 3
Unexpected EOF encountered in bcp datafile

bcp copy in failed
`;
// Issue 17: a server sent its login INFO (severity 0) under a number freebcp does not filter, then
// freebcp failed on its own (a FreeTDS message: no "Server" line).
const FREEBCP_INFO_THEN_OWN = `Msg 0, Level 0, State 2
Server 'babel', Line 1
\tChanged database context to 'bench'.
Starting copy...
Msg 20060, Level 4
Unknown datatype encountered

bcp copy out failed
`;
// The shape Microsoft's bcp prints (its documentation and issue reports).
const MS_BCP = `Starting copy...
SQLState = S1000, NativeError = 0
Error = [Microsoft][ODBC Driver 18 for SQL Server]Unexpected EOF encountered in BCP data-file

0 rows copied.
Network packet size (bytes): 4096
Clock Time (ms.) Total     : 1
`;

describe('bcp output', () => {
  it('reads the row count both tools print last', () => {
    expect(rowsCopied('\nStarting copy...\n\n1000 rows copied.\n')).toBe(1000);
    expect(rowsCopied('Starting copy...\n1 rows copied.\nNetwork packet size (bytes): 4096\n')).toBe(1);
    expect(rowsCopied(FREEBCP_EOF)).toBeUndefined();
  });

  it("takes the server's message, with its number, before the tool's follow-ups", () => {
    expect(firstErrorLine(FREEBCP_MISSING_TABLE)).toBe("Invalid object name 'dbo.nope'. (Msg 208)");
    expect(firstErrorLine(FREEBCP_LOGIN)).toBe("Login failed for user 'sa'. (Msg 18456)");
    expect(firstErrorLine(FREEBCP_EOF)).toBe('Unexpected EOF encountered in bcp datafile (Msg 20104)');
    expect(firstErrorLine('bcp copy in failed\n')).toBe('bcp copy in failed');
    expect(firstErrorLine(MS_BCP)).toBe('Unexpected EOF encountered in BCP data-file');
    expect(firstErrorLine('SQLState = 28000, NativeError = 18456\nError = [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Login failed for user \'u\'.\n')).toBe(
      "Login failed for user 'u'. (error 18456)",
    );
    expect(firstErrorLine('\n\n')).toBeUndefined();
  });

  it('never reports an informational server message (severity 10 or less) as the failure', () => {
    expect(firstErrorLine(FREEBCP_INFO_THEN_OWN)).toBe('Unknown datatype encountered (Msg 20060)');
    expect(firstErrorLine("Msg 5701, Level 0, State 2\nServer 's', Line 1\n\tChanged database context to 'x'.\nbcp copy in failed\n")).toBe('bcp copy in failed');
    // Microsoft's bcp: the error's own NativeError, not a warning's before it.
    expect(
      firstErrorLine(
        'SQLState = 01000, NativeError = 5701\nWarning = [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Changed database context to \'x\'.\n' +
          'SQLState = 42S02, NativeError = 208\nError = [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Invalid object name \'dbo.t\'.\n',
      ),
    ).toBe("Invalid object name 'dbo.t'. (error 208)");
  });

  it('redacts every occurrence of a secret', () => {
    expect(redact('-P hunter2 and hunter2', ['hunter2', ''])).toBe('-P ***** and *****');
  });
});
