import type { ExistingTopic, TopicAdmin, TopicChange } from '../../functions/pipeline/topic-sync.ts';
import { PENDING } from '../../functions/pipeline/topic-sync.ts';

interface Topic {
  attributes: Record<string, string>;
  tags: Record<string, string>;
  subscriptions: { protocol: string; endpoint: string; subscriptionArn: string }[];
}

/**
 * An in-memory SNS behind the topic sync's port, with the SNS behaviours the sync must live with:
 * CreateTopic of an existing name keeps it, an e-mail subscription stays pending until confirmed (and a
 * pending one cannot be unsubscribed), subscribing an endpoint twice keeps one subscription, deleting a
 * topic drops its subscriptions. Calls are counted.
 */
export class MemorySns implements TopicAdmin {
  readonly topics = new Map<string, Topic>();
  calls = 0;
  #next = 0;

  async list(prefixes: readonly string[]): Promise<ExistingTopic[]> {
    this.calls++;
    return [...this.topics]
      .filter(([name]) => prefixes.some((p) => name.startsWith(p)))
      .map(([name, t]) => ({
        name,
        attributes: { ...t.attributes },
        tags: { ...t.tags },
        subscriptions: t.subscriptions.map((s) => ({ ...s })),
      }));
  }

  async apply(change: TopicChange): Promise<void> {
    this.calls++;
    const topic = this.topics.get(change.topic);
    if (change.kind === 'create') {
      if (topic === undefined)
        this.topics.set(change.topic, {
          attributes: { ...change.attributes },
          tags: { ...change.tags },
          subscriptions: [],
        });
      return;
    }
    if (topic === undefined) throw new Error(`NotFound: topic ${change.topic} does not exist`);
    switch (change.kind) {
      case 'set-attribute':
        topic.attributes[change.name] = change.value;
        return;
      case 'tag':
        Object.assign(topic.tags, change.tags);
        return;
      case 'subscribe': {
        const protocol = change.protocol ?? 'email';
        if (!topic.subscriptions.some((s) => s.protocol === protocol && s.endpoint === change.endpoint))
          topic.subscriptions.push({
            protocol,
            endpoint: change.endpoint,
            // SNS confirms a queue of the same account at once; an e-mail waits for its recipient.
            subscriptionArn: protocol === 'email' ? PENDING : `arn:x:${++this.#next}`,
          });
        return;
      }
      case 'unsubscribe': {
        const at = topic.subscriptions.findIndex((s) => s.subscriptionArn === change.subscriptionArn);
        if (at < 0 || change.subscriptionArn === PENDING)
          throw new Error('InvalidParameter: no such subscription');
        topic.subscriptions.splice(at, 1);
        return;
      }
      case 'delete':
        this.topics.delete(change.topic);
        return;
    }
  }

  /** Each pending e-mail subscription confirmed, as recipients clicking the link. */
  confirmAll(): void {
    for (const [name, t] of this.topics)
      for (const s of t.subscriptions)
        if (s.subscriptionArn === PENDING)
          s.subscriptionArn = `arn:aws:sns:cn-north-1:1:${name}:${++this.#next}`;
  }

  /** A subscription made outside the registry (an office's own queue). */
  addSubscription(topic: string, protocol: string, endpoint: string): void {
    this.topics
      .get(topic)
      ?.subscriptions.push({ protocol, endpoint, subscriptionArn: `arn:x:${++this.#next}` });
  }

  emails(topic: string): string[] {
    return (this.topics.get(topic)?.subscriptions ?? [])
      .filter((s) => s.protocol === 'email')
      .map((s) => s.endpoint)
      .sort();
  }
}
