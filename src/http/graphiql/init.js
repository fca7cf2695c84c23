// gerbang's GraphiQL: every asset is served by gerbang itself, so it works offline.
// The fetcher sends whatever the Headers tab holds, e.g. {"Authorization": "Bearer …"}.
// Headers are never persisted: a bearer token in localStorage outlives the tab and is
// readable by any script that ever runs on this origin.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).toString() });
  var defaultQuery = [
    '# Welcome to gerbang.',
    '#',
    '# 1. Sign in (run this mutation):',
    '#      mutation { login(input: { usernameOrEmail: "admin", password: "…" }) { accessToken refreshToken } }',
    '# 2. Open the Headers tab below and paste:',
    '#      { "Authorization": "Bearer <accessToken>" }',
    '# 3. Then ask who you are:',
    '',
    'query Me {',
    '  me { id email displayName roles { name permissions } }',
    '}',
    ''
  ].join('\n');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false
  }));
})();
