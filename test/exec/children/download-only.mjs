#!/usr/bin/env node
/** A plug-in written against contract §4 alone: one instance per process, no optional method listed. */
import { serveWire } from '../../../fixtures/hostile/wire-kit.mjs';

serveWire('download flow only');
