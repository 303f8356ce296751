// Turns the profile model into the compact tree the flamegraph webview draws (webview/protocol.ts FlameData).
// No vscode API here, so it runs in plain Node tests.
//
// Siblings are merged by function (name, file, kind), not by frame: pprof frames carry a line, so one
// function calling from two lines would otherwise show as two bars of the same name. The merged node keeps
// the heaviest frame's id, so "open source" lands on the line where most of that node's time was spent.
import * as path from 'node:path';
import type { Profile, CallNode } from '../../model/profile';
import type { FrameResolutions } from '../../resolve/frameResolution';
import { flameDataOf, type FlameData, type FlameFrame } from '../../../webview/protocol';

export function toFlameFrames(profile: Profile, resolutions: FrameResolutions): FlameFrame[] {
  return profile.frames.map((f, id) => {
    const loc = resolutions[id]?.location;
    const frame: { -readonly [K in keyof FlameFrame]: FlameFrame[K] } = { name: f.name, kind: f.kind };
    if (f.file !== undefined) frame.file = f.file;
    if (f.line !== undefined) frame.line = f.line;
    if (loc) frame.location = `${path.basename(loc.path)}:${loc.line}`;
    return frame;
  });
}

interface MergedNode {
  frame: number;
  /** Total of the heaviest CallNode merged in, to pick the representative frame. */
  heaviest: number;
  self: number;
  total: number;
  parts: CallNode[];
}

export function toFlameData(profile: Profile, resolutions: FrameResolutions): FlameData {
  const frames = toFlameFrames(profile, resolutions);
  const keyOfFrame = profile.frames.map((f) => `${f.name}\u0000${f.file ?? ''}\u0000${f.kind}`);
  const parent: number[] = [];
  const depth: number[] = [];
  const frame: number[] = [];
  const self: number[] = [];
  const total: number[] = [];

  const root = profile.root;
  // Explicit stack: recursive user code makes stacks thousands deep.
  const pending: Array<{ node: MergedNode; parentIndex: number; depth: number }> = [
    {
      node: { frame: -1, heaviest: root.total, self: root.self, total: root.total, parts: [root] },
      parentIndex: -1,
      depth: 0,
    },
  ];
  while (pending.length > 0) {
    const { node, parentIndex, depth: d } = pending.pop()!;
    const index = parent.length;
    parent.push(parentIndex);
    depth.push(d);
    frame.push(node.frame);
    self.push(node.self);
    total.push(node.total);

    const byKey = new Map<string, MergedNode>();
    for (const part of node.parts) {
      for (const child of part.children.values()) {
        if (!(child.total > 0)) continue;
        const key = keyOfFrame[child.frameId];
        let m = byKey.get(key);
        if (!m) byKey.set(key, (m = { frame: child.frameId, heaviest: -1, self: 0, total: 0, parts: [] }));
        m.self += child.self;
        m.total += child.total;
        m.parts.push(child);
        if (child.total > m.heaviest) {
          m.heaviest = child.total;
          m.frame = child.frameId;
        }
      }
    }
    // Alphabetical order keeps bars in place between live refreshes and lines up compared profiles.
    const children = [...byKey.values()].sort((a, b) => compareNames(profile.frames[a.frame].name, profile.frames[b.frame].name));
    for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i], parentIndex: index, depth: d + 1 });
  }
  // Typed columns: cheap to post to the webview (see FlameData).
  return flameDataOf({ unit: profile.meta.unit, frames, parent, depth, frame, self, total });
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
