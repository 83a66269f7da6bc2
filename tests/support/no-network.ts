import nock from 'nock';

// Component tests must never reach a real Microsoft endpoint (or anything else off this machine).
// Loopback stays open for the in-process sandbox, SMTP and the app under test.
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
