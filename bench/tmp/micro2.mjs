import { http, HttpResponse, getResponse } from 'msw';
const url = 'http://store.wmpcert.test/v1/tracks/12/download?cookie=7';
const h1 = http.get('http://store.wmpcert.test/v1/tracks/:trackId/download', () => HttpResponse.json({ url: 'x', params: null }));
for (let i = 0; i < 20000; i++) await getResponse([h1], new Request(url));
