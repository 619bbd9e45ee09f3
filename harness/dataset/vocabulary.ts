/**
 * Fixed word lists the generator draws from. Changing any list changes the generated content, so bump
 * GENERATOR_VERSION (seed.ts) with it. Ordered most common first: text picks early words more often,
 * the way prose repeats "the" and "to", which is what makes it compress like prose.
 */

/** Words of the text corpus; none longer than 12 characters (corpus.ts relies on a space every 16 bytes). */
export const WORDS: readonly string[] = [
  'the', 'to', 'a', 'is', 'I', 'and', 'of', 'in', 'it', 'you', 'that', 'this', 'for', 'with', 'on', 'be', 'not',
  'can', 'have', 'but', 'if', 'as', 'my', 'are', 'do', 'from', 'or', 'an', 'use', 'will', 'so', 'at', 'what', 'when',
  'there', 'how', 'which', 'your', 'would', 'get', 'all', 'by', 'one', 'like', 'want', 'then', 'need', 'here', 'no',
  'just', 'was', 'should', 'using', 'has', 'also', 'some', 'only', 'way', 'each', 'into', 'code', 'new', 'value',
  'does', 'file', 'data', 'function', 'it\'s', 'don\'t', 'work', 'same', 'set', 'out', 'any', 'other', 'now', 'call',
  'string', 'example', 'problem', 'error', 'class', 'method', 'object', 'list', 'array', 'user', 'time', 'first',
  'because', 'make', 'try', 'tried', 'works', 'different', 'could', 'return', 'table', 'query', 'name', 'type',
  'where', 'server', 'page', 'instead', 'after', 'before', 'however', 'see', 'know', 'question', 'answer', 'thanks',
  'help', 'something', 'change', 'result', 'number', 'line', 'test', 'default', 'database', 'column', 'row', 'index',
  'key', 'null', 'loop', 'variable', 'field', 'form', 'button', 'event', 'click', 'text', 'element', 'window',
  'request', 'response', 'client', 'service', 'thread', 'process', 'memory', 'version', 'library', 'module',
  'package', 'import', 'install', 'build', 'compile', 'compiler', 'runtime', 'exception', 'message', 'output',
  'input', 'option', 'parameter', 'argument', 'property', 'attribute', 'instance', 'static', 'public', 'private',
  'void', 'int', 'bool', 'char', 'double', 'float', 'long', 'true', 'false', 'empty', 'length', 'size', 'count',
  'path', 'folder', 'directory', 'project', 'solution', 'application', 'app', 'web', 'site', 'browser', 'html',
  'css', 'script', 'javascript', 'jquery', 'ajax', 'json', 'xml', 'api', 'url', 'http', 'link', 'image', 'view',
  'model', 'controller', 'template', 'layout', 'style', 'selector', 'select', 'insert', 'update', 'delete',
  'join', 'group', 'order', 'sort', 'filter', 'search', 'match', 'pattern', 'regex', 'replace', 'split', 'parse',
  'convert', 'format', 'date', 'config', 'setting', 'session', 'cookie', 'cache', 'login', 'password', 'account',
  'permission', 'security', 'token', 'connection', 'socket', 'port', 'host', 'network', 'stream', 'buffer', 'byte',
  'bit', 'pointer', 'reference', 'copy', 'clone', 'merge', 'branch', 'commit', 'push', 'pull', 'git', 'repo',
  'deploy', 'debug', 'log', 'trace', 'stack', 'heap', 'queue', 'map', 'hash', 'tree', 'node', 'graph',
  'algorithm', 'performance', 'fast', 'slow', 'simple', 'easy', 'hard', 'better', 'best', 'wrong', 'right', 'correct',
  'possible', 'actually', 'probably', 'maybe', 'already', 'still', 'again', 'always', 'never', 'every', 'both',
  'either', 'between', 'without', 'within', 'through', 'while', 'until', 'since', 'another', 'following',
  'above', 'below', 'inside', 'outside', 'current', 'previous', 'next', 'last', 'second', 'third', 'main', 'local',
  'global', 'remote', 'external', 'internal', 'custom', 'generic', 'abstract', 'interface', 'override', 'extend',
  'implement', 'inherit', 'constructor', 'callback', 'promise', 'async', 'await', 'handler', 'listener', 'trigger',
  'foo()', 'bar', 'baz', 'i++', '==', '!=', '=>', '{', '}', 'x.length', 'obj.value', 'std::string', 'printf',
  'echo', 'var', 'let', 'const', 'def', 'self', 'this.name', 'null;', 'return;', '<div>', '</div>', '<br/>',
];

/** StackOverflow's most used tags around 2013. */
export const TAGS: readonly string[] = [
  'c#', 'java', 'php', 'javascript', 'jquery', 'android', 'c++', 'iphone', 'python', 'asp.net', 'mysql', 'html',
  '.net', 'ios', 'objective-c', 'sql', 'css', 'linux', 'ruby-on-rails', 'windows', 'sql-server', 'ruby', 'c',
  'wpf', 'xml', 'ajax', 'database', 'regex', 'asp.net-mvc', 'xcode', 'django', 'arrays', 'vb.net', 'eclipse',
  'json', 'facebook', 'multithreading', 'string', 'winforms', 'performance', 'wordpress', 'html5', 'visual-studio',
  'web-services', 'algorithm', 'git', 'linq', 'spring', 'node.js', 'silverlight', 'oracle', 'bash', 'swing',
  'cocoa-touch', 'apache', 'excel', 'entity-framework', 'image', 'r', 'mongodb', 'hibernate', 'osx', 'api',
  'sql-server-2008', 'forms', 'perl', 'flash', 'matlab', 'google-maps', 'security', 'unit-testing', 'shell',
  'angularjs', 'twitter-bootstrap', 'delphi', 'http', 'scala', 'qt', 'tsql', 'postgresql', 'file', 'haskell',
];

/** Badge names, most awarded first (Student, Supporter, Editor… were the bulk of 2013's badges). */
export const BADGES: readonly string[] = [
  'Student', 'Supporter', 'Editor', 'Teacher', 'Scholar', 'Autobiographer', 'Popular Question', 'Yearling',
  'Nice Answer', 'Commentator', 'Critic', 'Notable Question', 'Tumbleweed', 'Nice Question', 'Organizer',
  'Informed', 'Famous Question', 'Necromancer', 'Enlightened', 'Revival', 'Citizen Patrol', 'Good Answer',
  'Self-Learner', 'Excavator', 'Cleanup', 'Pundit', 'Custodian', 'Good Question', 'Disciplined', 'Caucus',
  'Constituent', 'Peer Pressure', 'Guru', 'Mortarboard', 'Promoter', 'Archaeologist', 'Investor', 'Civic Duty',
  'Great Answer', 'Strunk & White', 'Enthusiast', 'Stellar Question', 'Great Question', 'Populist', 'Fanatic',
  'Announcer', 'Tag Editor', 'Booster', 'Suffrage', 'Deputy', 'Electorate', 'Reversal', 'Publicist', 'Sportsmanship',
  'Unsung Hero', 'Copy Editor', 'Legendary', 'Research Assistant', 'Taxonomist', 'Epic', 'Reviewer', 'Steward',
];

export const FIRST_NAMES: readonly string[] = [
  'John', 'David', 'Michael', 'Chris', 'Mike', 'Mark', 'Paul', 'Daniel', 'James', 'Tom', 'Alex', 'Peter', 'Andrew',
  'Ben', 'Matt', 'Steve', 'Nick', 'Dan', 'Rob', 'Sam', 'Adam', 'Jason', 'Kevin', 'Brian', 'Ryan', 'Eric', 'Jon',
  'Anna', 'Maria', 'Sarah', 'Laura', 'Emma', 'Julia', 'Sophie', 'Elena', 'Priya', 'Rahul', 'Amit', 'Wei', 'Li',
  'Yuki', 'Hiroshi', 'Ahmed', 'Omar', 'Ivan', 'Dmitry', 'Sergey', 'Pierre', 'Jean', 'Hans', 'Lars', 'Jan', 'Marco',
  'Luca', 'Carlos', 'Juan', 'Pedro', 'Diego', 'Ali', 'Mohammed',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
  'Moore', 'Martin', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright',
  'Lopez', 'Hill', 'Scott', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner',
  'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Kumar', 'Singh', 'Sharma', 'Patel', 'Wang',
  'Zhang', 'Chen', 'Liu', 'Tanaka', 'Suzuki', 'Ivanov', 'Petrov', 'Müller', 'Schmidt', 'Dubois', 'Rossi', 'García',
  'Fernández', 'Silva', 'Santos',
];

export const LOCATIONS: readonly string[] = [
  'United States', 'India', 'London, United Kingdom', 'Germany', 'Bangalore, India', 'San Francisco, CA',
  'New York, NY', 'Seattle, WA', 'Canada', 'Toronto, Canada', 'Paris, France', 'Berlin, Germany', 'Sydney, Australia',
  'Chennai, India', 'Hyderabad, India', 'Pune, India', 'Mumbai, India', 'Beijing, China', 'Shanghai, China',
  'Moscow, Russia', 'Netherlands', 'Amsterdam, Netherlands', 'Stockholm, Sweden', 'Tokyo, Japan', 'Brazil',
  'São Paulo, Brazil', 'Israel', 'Tel Aviv, Israel', 'Poland', 'Warsaw, Poland', 'Chicago, IL', 'Austin, TX',
  'Boston, MA', 'Los Angeles, CA', 'Vancouver, Canada', 'Melbourne, Australia', 'Madrid, Spain', 'Barcelona, Spain',
  'Italy', 'Milan, Italy', 'Kiev, Ukraine', 'Pakistan', 'Lahore, Pakistan', 'Karachi, Pakistan', 'Cairo, Egypt',
  'Singapore', 'Manila, Philippines', 'Jakarta, Indonesia', 'Dublin, Ireland', 'Zürich, Switzerland',
];
