/**
 * A preload (`node --require`) that makes every TCP listen fail as if the port were taken: the
 * set-up error a harness must report with exit 2 ("the port cannot be bound"), never a verdict.
 * Local (path) servers are left alone.
 */
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function refusingListen(...args) {
  const first = args[0];
  const isPath = typeof first === 'string' && !/^\d+$/.test(first)
    || (first !== null && typeof first === 'object' && first.path !== undefined && first.path !== null);
  if (isPath) return listen.apply(this, args);
  process.nextTick(() => this.emit('error', Object.assign(new Error('listen EADDRINUSE: address already in use (no-listen preload)'), { code: 'EADDRINUSE', syscall: 'listen' })));
  return this;
};
